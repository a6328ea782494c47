# macOS: an app bundle llm-gateway.app, shown as "LLM Gateway" (a menu-bar app: LSUIElement), in a
# drag-and-drop DMG.
#   cmake -S . -B build -G Ninja -DCMAKE_BUILD_TYPE=Release -DLLMGW_BUILD_TESTS=OFF
#   cmake --build build && cd build && cpack -G DragNDrop
# The bundle gets the Qt frameworks and plugins from macdeployqt at install time. `serve`
# works from the bundle too: "/Applications/LLM Gateway.app/Contents/MacOS/llm-gateway" serve.

# The icon: iconutil (part of Xcode's command line tools) turns the committed hicolor PNGs into
# an .icns at build time. Without iconutil the bundle has no icon (a placeholder), nothing fails.
set(_icns "${CMAKE_CURRENT_BINARY_DIR}/llm-gateway.icns")
find_program(LLMGW_ICONUTIL iconutil)
if(LLMGW_ICONUTIL)
    set(_iconset "${CMAKE_CURRENT_BINARY_DIR}/llm-gateway.iconset")
    set(_hicolor "${PROJECT_SOURCE_DIR}/resources/icons/hicolor")
    add_custom_command(OUTPUT "${_icns}"
        COMMAND ${CMAKE_COMMAND} -E make_directory "${_iconset}"
        COMMAND ${CMAKE_COMMAND} -E copy "${_hicolor}/16x16/apps/llm-gateway.png" "${_iconset}/icon_16x16.png"
        COMMAND ${CMAKE_COMMAND} -E copy "${_hicolor}/32x32/apps/llm-gateway.png" "${_iconset}/icon_16x16@2x.png"
        COMMAND ${CMAKE_COMMAND} -E copy "${_hicolor}/32x32/apps/llm-gateway.png" "${_iconset}/icon_32x32.png"
        COMMAND ${CMAKE_COMMAND} -E copy "${_hicolor}/64x64/apps/llm-gateway.png" "${_iconset}/icon_32x32@2x.png"
        COMMAND ${CMAKE_COMMAND} -E copy "${_hicolor}/128x128/apps/llm-gateway.png" "${_iconset}/icon_128x128.png"
        COMMAND ${CMAKE_COMMAND} -E copy "${_hicolor}/256x256/apps/llm-gateway.png" "${_iconset}/icon_128x128@2x.png"
        COMMAND ${CMAKE_COMMAND} -E copy "${_hicolor}/256x256/apps/llm-gateway.png" "${_iconset}/icon_256x256.png"
        COMMAND ${LLMGW_ICONUTIL} -c icns -o "${_icns}" "${_iconset}"
        DEPENDS "${_hicolor}/256x256/apps/llm-gateway.png"
        COMMENT "Making llm-gateway.icns")
    target_sources(llm-gateway PRIVATE "${_icns}")
    set_source_files_properties("${_icns}" PROPERTIES MACOSX_PACKAGE_LOCATION Resources)
    set(_icon_file "llm-gateway.icns")
else()
    message(STATUS "iconutil not found: the macOS bundle will have no icon")
    set(_icon_file "")
endif()

set_target_properties(llm-gateway PROPERTIES
    MACOSX_BUNDLE TRUE
    OUTPUT_NAME llm-gateway
    MACOSX_BUNDLE_INFO_PLIST "${CMAKE_CURRENT_LIST_DIR}/macos/Info.plist.in"
    MACOSX_BUNDLE_BUNDLE_NAME "LLM Gateway"
    MACOSX_BUNDLE_EXECUTABLE_NAME "llm-gateway"
    MACOSX_BUNDLE_GUI_IDENTIFIER "${LLMGW_APP_ID}"
    MACOSX_BUNDLE_ICON_FILE "${_icon_file}"
    MACOSX_BUNDLE_SHORT_VERSION_STRING "${PROJECT_VERSION}"
    MACOSX_BUNDLE_BUNDLE_VERSION "${PROJECT_VERSION}"
    MACOSX_BUNDLE_COPYRIGHT "${LLMGW_VENDOR}")

# Qt frameworks and plugins into the installed bundle (so the DMG carries them).
get_target_property(_qmake Qt6::qmake IMPORTED_LOCATION)
get_filename_component(_qtbin "${_qmake}" DIRECTORY)
find_program(LLMGW_MACDEPLOYQT macdeployqt HINTS "${_qtbin}")
if(LLMGW_MACDEPLOYQT)
    install(CODE "
        execute_process(COMMAND \"${LLMGW_MACDEPLOYQT}\"
                                \"\${CMAKE_INSTALL_PREFIX}/llm-gateway.app\" -always-overwrite
                        RESULT_VARIABLE rc)
        if(NOT rc EQUAL 0)
            message(FATAL_ERROR \"macdeployqt failed (\${rc})\")
        endif()")
else()
    message(WARNING "macdeployqt not found: the bundle will lack the Qt frameworks")
endif()

set(CPACK_GENERATOR "DragNDrop")
set(CPACK_DMG_VOLUME_NAME "LLM Gateway")
set(CPACK_DMG_FORMAT "UDZO")
set(CPACK_PACKAGE_FILE_NAME "llm-gateway-${PROJECT_VERSION}-macos")

# Windows: an NSIS installer (CPack generator NSIS, needs NSIS 3 on PATH).
#   cmake -S . -B build -G Ninja -DCMAKE_BUILD_TYPE=Release -DLLMGW_BUILD_TESTS=OFF
#   cmake --build build && cd build && cpack -G NSIS
# Installs to "C:\Program Files\LLM Gateway" (bin\llm-gateway.exe plus the Qt runtime that
# windeployqt gathers), a Start Menu shortcut, an uninstaller (Add/Remove Programs), and on the
# finish page an optional "Start LLM Gateway when I log in" checkbox that writes the same
# HKCU\Software\Microsoft\Windows\CurrentVersion\Run value as the app's "Start at login".

# A tray app: no console window (serve's log lines go nowhere visible; run it from a service
# wrapper or redirect stderr when headless on Windows).
set_target_properties(llm-gateway PROPERTIES WIN32_EXECUTABLE TRUE)

# The Qt DLLs, plugins (platforms, styles, iconengines, imageformats, tls) and Qt's own
# translations next to the executable, at install time so that cpack picks them up.
get_target_property(_qmake Qt6::qmake IMPORTED_LOCATION)
get_filename_component(_qtbin "${_qmake}" DIRECTORY)
find_program(LLMGW_WINDEPLOYQT windeployqt HINTS "${_qtbin}")
if(LLMGW_WINDEPLOYQT)
    install(CODE "
        execute_process(COMMAND \"${LLMGW_WINDEPLOYQT}\" --release --no-compiler-runtime
                                --no-opengl-sw --no-system-d3d-compiler
                                \"\${CMAKE_INSTALL_PREFIX}/bin/llm-gateway.exe\"
                        RESULT_VARIABLE rc)
        if(NOT rc EQUAL 0)
            message(FATAL_ERROR \"windeployqt failed (\${rc})\")
        endif()")
else()
    message(WARNING "windeployqt not found: the installer will lack the Qt runtime")
endif()
# The MSVC runtime (vcruntime140*.dll, msvcp140*.dll) next to the executable.
set(CMAKE_INSTALL_SYSTEM_RUNTIME_DESTINATION bin)
include(InstallRequiredSystemLibraries)

set(CPACK_GENERATOR "NSIS")
set(CPACK_NSIS_PACKAGE_NAME "LLM Gateway")
set(CPACK_NSIS_DISPLAY_NAME "LLM Gateway")
set(CPACK_PACKAGE_INSTALL_REGISTRY_KEY "LLM Gateway")
set(CPACK_NSIS_MUI_ICON "${CMAKE_CURRENT_LIST_DIR}/windows/llm-gateway.ico")
set(CPACK_NSIS_MUI_UNIICON "${CMAKE_CURRENT_LIST_DIR}/windows/llm-gateway.ico")
set(CPACK_NSIS_INSTALLED_ICON_NAME "bin\\\\llm-gateway.exe")
set(CPACK_NSIS_URL_INFO_ABOUT "${PROJECT_HOMEPAGE_URL}")
set(CPACK_NSIS_HELP_LINK "${PROJECT_HOMEPAGE_URL}/blob/main/docs/clients.md")
set(CPACK_NSIS_CONTACT "${LLMGW_CONTACT}")
set(CPACK_NSIS_ENABLE_UNINSTALL_BEFORE_INSTALL ON)
set(CPACK_NSIS_MANIFEST_DPI_AWARE ON)
# Start Menu shortcut "LLM Gateway" → bin\llm-gateway.exe (from CPACK_PACKAGE_EXECUTABLES).
set(CPACK_NSIS_EXECUTABLES_DIRECTORY "bin")
set(CPACK_NSIS_MUI_FINISHPAGE_RUN "llm-gateway.exe")

# The finish page's second checkbox (MUI's "show readme" slot, re-labelled): autostart.
# Value name "llm-gateway" is the one ui/autostart uses, so the app's own switch and the
# installer agree, and the uninstaller removes it.
# CPack mangles double quotes in these strings: NSIS's single quotes are used, and ${U+22} for
# the quotes around the path in the Run value.
set(CPACK_NSIS_DEFINES "
  !define MUI_FINISHPAGE_SHOWREADME ''
  !define MUI_FINISHPAGE_SHOWREADME_NOTCHECKED
  !define MUI_FINISHPAGE_SHOWREADME_TEXT 'Start LLM Gateway when I log in'
  !define MUI_FINISHPAGE_SHOWREADME_FUNCTION LlmGwEnableAutostart
  Function LlmGwEnableAutostart
    WriteRegStr HKCU 'Software\\Microsoft\\Windows\\CurrentVersion\\Run' 'llm-gateway' '\${U+22}$INSTDIR\\bin\\llm-gateway.exe\${U+22}'
  FunctionEnd")
set(CPACK_NSIS_EXTRA_UNINSTALL_COMMANDS "
  DeleteRegValue HKCU 'Software\\Microsoft\\Windows\\CurrentVersion\\Run' 'llm-gateway'")

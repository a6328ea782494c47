<?xml version="1.0" encoding="utf-8"?>
<!DOCTYPE TS>
<TS version="2.1" language="zh_CN">
<context>
    <name>gw::TrayController</name>
    <message>
        <location filename="../ui/traycontroller.cpp" line="+17"/>
        <location line="+71"/>
        <source>Gateway stopped</source>
        <translation>网关已停止</translation>
    </message>
    <message>
        <location line="-69"/>
        <source>Gateway on</source>
        <translation>启用网关</translation>
    </message>
    <message>
        <location line="+8"/>
        <source>Copy OLLAMA_HOST</source>
        <translation>复制 OLLAMA_HOST</translation>
    </message>
    <message>
        <location line="+4"/>
        <source>Quit</source>
        <translation>退出</translation>
    </message>
    <message>
        <location line="+27"/>
        <location line="+42"/>
        <source>llm-gateway</source>
        <translation>llm-gateway</translation>
    </message>
    <message>
        <location line="-33"/>
        <source>Stop gateway</source>
        <translation>停止网关</translation>
    </message>
    <message>
        <location line="+0"/>
        <source>Start gateway</source>
        <translation>启动网关</translation>
    </message>
    <message>
        <location line="+17"/>
        <source>Running on %1</source>
        <translation>运行于 %1</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>Error: %1</source>
        <translation>错误：%1</translation>
    </message>
    <message>
        <location line="+8"/>
        <source>llm-gateway could not start</source>
        <translation>llm-gateway 无法启动</translation>
    </message>
    <message numerus="yes">
        <location line="+8"/>
        <source>%n request(s)</source>
        <translation>
            <numerusform>%n 个请求</numerusform>
        </translation>
    </message>
</context>
</TS>

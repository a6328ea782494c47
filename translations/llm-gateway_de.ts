<?xml version="1.0" encoding="utf-8"?>
<!DOCTYPE TS>
<TS version="2.1" language="de_DE">
<context>
    <name>gw::TrayController</name>
    <message>
        <location filename="../ui/traycontroller.cpp" line="+17"/>
        <location line="+71"/>
        <source>Gateway stopped</source>
        <translation>Gateway gestoppt</translation>
    </message>
    <message>
        <location line="-69"/>
        <source>Gateway on</source>
        <translation>Gateway eingeschaltet</translation>
    </message>
    <message>
        <location line="+8"/>
        <source>Copy OLLAMA_HOST</source>
        <translation>OLLAMA_HOST kopieren</translation>
    </message>
    <message>
        <location line="+4"/>
        <source>Quit</source>
        <translation>Beenden</translation>
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
        <translation>Gateway stoppen</translation>
    </message>
    <message>
        <location line="+0"/>
        <source>Start gateway</source>
        <translation>Gateway starten</translation>
    </message>
    <message>
        <location line="+17"/>
        <source>Running on %1</source>
        <translation>Läuft auf %1</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>Error: %1</source>
        <translation>Fehler: %1</translation>
    </message>
    <message>
        <location line="+8"/>
        <source>llm-gateway could not start</source>
        <translation>llm-gateway konnte nicht starten</translation>
    </message>
    <message numerus="yes">
        <location line="+8"/>
        <source>%n request(s)</source>
        <translation>
            <numerusform>%n Anfrage</numerusform>
            <numerusform>%n Anfragen</numerusform>
        </translation>
    </message>
</context>
</TS>

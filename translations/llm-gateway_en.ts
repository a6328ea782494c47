<?xml version="1.0" encoding="utf-8"?>
<!DOCTYPE TS>
<TS version="2.1" language="en_US">
<context>
    <name>gw::LogWindow</name>
    <message numerus="yes">
        <location filename="../ui/logwindow.cpp" line="+204"/>
        <source>Resume (%n new)</source>
        <translation>
            <numerusform>Resume (%n new)</numerusform>
            <numerusform>Resume (%n new)</numerusform>
        </translation>
    </message>
</context>
<context>
    <name>gw::TrayController</name>
    <message numerus="yes">
        <location filename="../ui/traycontroller.cpp" line="+226"/>
        <source>%n request(s)</source>
        <translation>
            <numerusform>%n request</numerusform>
            <numerusform>%n requests</numerusform>
        </translation>
    </message>
</context>
</TS>

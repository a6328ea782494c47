<?xml version="1.0" encoding="utf-8"?>
<!DOCTYPE TS>
<TS version="2.1" language="en_US">
<context>
    <name>ClientGuides</name>
    <message numerus="yes">
        <location filename="../desktop/clientguide.cpp" line="+127"/>
        <source>last request %n minute(s) ago</source>
        <translation>
            <numerusform>last request %n minute ago</numerusform>
            <numerusform>last request %n minutes ago</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <location line="+2"/>
        <source>last request %n hour(s) ago</source>
        <translation>
            <numerusform>last request %n hour ago</numerusform>
            <numerusform>last request %n hours ago</numerusform>
        </translation>
    </message>
</context>
<context>
    <name>gw::LogWindow</name>
    <message numerus="yes">
        <location filename="../ui/logwindow.cpp" line="+218"/>
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
        <location filename="../ui/traycontroller.cpp" line="+228"/>
        <source>%n request(s)</source>
        <translation>
            <numerusform>%n request</numerusform>
            <numerusform>%n requests</numerusform>
        </translation>
    </message>
</context>
<context>
    <name>gw::WelcomePage</name>
    <message numerus="yes">
        <location filename="../ui/welcomepage.cpp" line="+241"/>
        <source>Map %n model(s)</source>
        <translation>
            <numerusform>Map %n model</numerusform>
            <numerusform>Map %n models</numerusform>
        </translation>
    </message>
</context>
</TS>

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
        <location filename="../ui/traycontroller.cpp" line="+291"/>
        <source>%n request(s)</source>
        <translation>
            <numerusform>%n request</numerusform>
            <numerusform>%n requests</numerusform>
        </translation>
    </message>
</context>
<context>
    <name>gw::UsageWindow</name>
    <message numerus="yes">
        <location filename="../ui/usagewindow.cpp" line="+236"/>
        <source>%1 spent · %n request(s)</source>
        <translation>
            <numerusform>%1 spent · %n request</numerusform>
            <numerusform>%1 spent · %n requests</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <location line="+7"/>
        <source>%n without a known price</source>
        <translation>
            <numerusform>%n without a known price</numerusform>
            <numerusform>%n without a known price</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <location line="+26"/>
        <source>%n request(s) without a known price are not counted</source>
        <translation>
            <numerusform>%n request without a known price is not counted</numerusform>
            <numerusform>%n requests without a known price are not counted</numerusform>
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

<?xml version="1.0" encoding="utf-8"?>
<!DOCTYPE TS>
<TS version="2.1" language="de_DE">
<context>
    <name>QObject</name>
    <message>
        <location filename="../ui/logwindow.cpp" line="+32"/>
        <source>(empty)</source>
        <translation>(leer)</translation>
    </message>
</context>
<context>
    <name>autostart</name>
    <message>
        <location filename="../ui/autostart.cpp" line="+28"/>
        <source>cannot create the folder %1</source>
        <translation>der Ordner %1 kann nicht angelegt werden</translation>
    </message>
    <message>
        <location line="+7"/>
        <source>cannot write %1: %2</source>
        <translation>%1 kann nicht geschrieben werden: %2</translation>
    </message>
    <message>
        <location line="+12"/>
        <source>cannot remove %1</source>
        <translation>%1 kann nicht entfernt werden</translation>
    </message>
    <message>
        <location line="+83"/>
        <source>cannot change %1</source>
        <translation>%1 kann nicht geändert werden</translation>
    </message>
</context>
<context>
    <name>gw::LogTableModel</name>
    <message>
        <location filename="../ui/logtablemodel.cpp" line="+52"/>
        <source>%1 ms</source>
        <translation>%1 ms</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>%1 s</source>
        <translation>%1 s</translation>
    </message>
    <message>
        <location line="+22"/>
        <source>Ollama</source>
        <translation>Ollama</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>OpenAI</source>
        <translation>OpenAI</translation>
    </message>
    <message>
        <location line="+21"/>
        <source>yes</source>
        <translation>ja</translation>
    </message>
    <message>
        <location line="+0"/>
        <source>no</source>
        <translation>nein</translation>
    </message>
    <message>
        <location line="+86"/>
        <source>Time to the first token of the answer</source>
        <translation>Zeit bis zum ersten Token der Antwort</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>Time until the answer ended</source>
        <translation>Zeit bis zum Ende der Antwort</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>Prompt tokens, as the provider counted them</source>
        <translation>Prompt-Tokens, wie der Anbieter sie gezählt hat</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>Completion tokens, as the provider counted them</source>
        <translation>Antwort-Tokens, wie der Anbieter sie gezählt hat</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>The model name sent to the provider</source>
        <translation>Der an den Anbieter gesendete Modellname</translation>
    </message>
    <message>
        <location line="+9"/>
        <source>Time</source>
        <translation>Zeit</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>Client</source>
        <translation>Client</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>API</source>
        <translation>API</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>Request</source>
        <translation>Anfrage</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>Model</source>
        <translation>Modell</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>Provider</source>
        <translation>Anbieter</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>Upstream model</source>
        <translation>Upstream-Modell</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>Status</source>
        <translation>Status</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>TTFT</source>
        <translation>TTFT</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>Total</source>
        <translation>Gesamt</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>Tokens in</source>
        <translation>Tokens ein</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>Tokens out</source>
        <translation>Tokens aus</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>Streamed</source>
        <translation>Gestreamt</translation>
    </message>
</context>
<context>
    <name>gw::LogWindow</name>
    <message>
        <location filename="../ui/logwindow.cpp" line="+13"/>
        <source>Request Log — llm-gateway</source>
        <translation>Anfrageprotokoll — llm-gateway</translation>
    </message>
    <message>
        <location line="+14"/>
        <source>Filter: model, provider, client, path or error</source>
        <translation>Filter: Modell, Anbieter, Client, Pfad oder Fehler</translation>
    </message>
    <message>
        <location line="+4"/>
        <source>All statuses</source>
        <translation>Alle Status</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Errors only</source>
        <translation>Nur Fehler</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Successful (2xx)</source>
        <translation>Erfolgreich (2xx)</translation>
    </message>
    <message>
        <location line="+3"/>
        <source>All providers</source>
        <translation>Alle Anbieter</translation>
    </message>
    <message>
        <location line="+3"/>
        <location line="+146"/>
        <source>Pause</source>
        <translation>Anhalten</translation>
    </message>
    <message>
        <location line="-144"/>
        <source>Stop updating the table; requests that arrive meanwhile appear when you resume</source>
        <translation>Tabelle nicht mehr aktualisieren; Anfragen, die inzwischen eintreffen, erscheinen beim Fortsetzen</translation>
    </message>
    <message>
        <location line="+3"/>
        <source>Clear</source>
        <translation>Leeren</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>Open Log Folder</source>
        <translation>Protokollordner öffnen</translation>
    </message>
    <message>
        <location line="+53"/>
        <source>Select a request to see its detail.</source>
        <translation>Wählen Sie eine Anfrage, um ihre Details zu sehen.</translation>
    </message>
    <message numerus="yes">
        <location line="+72"/>
        <source>Resume (%n new)</source>
        <translation>
            <numerusform>Fortsetzen (%n neu)</numerusform>
            <numerusform>Fortsetzen (%n neu)</numerusform>
        </translation>
    </message>
    <message>
        <location line="+14"/>
        <location line="+15"/>
        <source>Resume</source>
        <translation>Fortsetzen</translation>
    </message>
    <message>
        <location line="+15"/>
        <source>No request matches the filter.</source>
        <translation>Keine Anfrage passt zum Filter.</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>No requests yet. Point a client at the gateway (OLLAMA_HOST=%1, or %2/v1 for OpenAI clients) and its requests appear here as they finish.</source>
        <translation>Noch keine Anfragen. Richten Sie einen Client auf das Gateway (OLLAMA_HOST=%1 oder %2/v1 für OpenAI-Clients); seine Anfragen erscheinen hier, sobald sie beendet sind.</translation>
    </message>
    <message>
        <location line="+5"/>
        <source>No requests yet. Start the gateway from the tray menu; requests appear here as they finish.</source>
        <translation>Noch keine Anfragen. Starten Sie das Gateway über das Tray-Menü; Anfragen erscheinen hier, sobald sie beendet sind.</translation>
    </message>
    <message>
        <location line="+19"/>
        <source>%1 %2 — status %3, %4</source>
        <translation>%1 %2 — Status %3, %4</translation>
    </message>
    <message>
        <location line="+3"/>
        <source>Time: %1    Client: %2    API: %3</source>
        <translation>Zeit: %1    Client: %2    API: %3</translation>
    </message>
    <message>
        <location line="+3"/>
        <source>Model: %1 → provider %2, upstream model %3</source>
        <translation>Modell: %1 → Anbieter %2, Upstream-Modell %3</translation>
    </message>
    <message>
        <location line="+1"/>
        <location line="+1"/>
        <source>(none)</source>
        <translation>(keiner)</translation>
    </message>
    <message>
        <location line="+3"/>
        <source>first token after %1</source>
        <translation>erstes Token nach %1</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>streamed</source>
        <translation>gestreamt</translation>
    </message>
    <message>
        <location line="+0"/>
        <source>not streamed</source>
        <translation>nicht gestreamt</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>tokens %1 in / %2 out</source>
        <translation>Tokens %1 ein / %2 aus</translation>
    </message>
    <message>
        <location line="+6"/>
        <source>Error: %1</source>
        <translation>Fehler: %1</translation>
    </message>
    <message>
        <location line="+3"/>
        <source>── Request body (first 4 KB, keys redacted) ──</source>
        <translation>── Anfrageinhalt (erste 4 KB, Schlüssel unkenntlich) ──</translation>
    </message>
    <message>
        <location line="+3"/>
        <source>── Response body (first 4 KB, keys redacted) ──</source>
        <translation>── Antwortinhalt (erste 4 KB, Schlüssel unkenntlich) ──</translation>
    </message>
</context>
<context>
    <name>gw::RequestChart</name>
    <message>
        <location filename="../ui/requestchart.cpp" line="+114"/>
        <source>requests/min</source>
        <translation>Anfragen/min</translation>
    </message>
    <message>
        <location line="+7"/>
        <source>median latency</source>
        <translation>mittlere Latenz (Median)</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>last %1 min</source>
        <translation>letzte %1 min</translation>
    </message>
    <message>
        <location line="+13"/>
        <source>No requests in the last %1 min</source>
        <translation>Keine Anfragen in den letzten %1 min</translation>
    </message>
    <message>
        <location line="+40"/>
        <source>%1 ms</source>
        <translation>%1 ms</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>%1 s</source>
        <translation>%1 s</translation>
    </message>
    <message>
        <location line="+8"/>
        <location line="+2"/>
        <source>−%1 min</source>
        <translation>−%1 min</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>now</source>
        <translation>jetzt</translation>
    </message>
</context>
<context>
    <name>gw::TrayController</name>
    <message>
        <location filename="../ui/traycontroller.cpp" line="+35"/>
        <location line="+168"/>
        <source>Gateway stopped</source>
        <translation>Gateway gestoppt</translation>
    </message>
    <message>
        <location line="-164"/>
        <source>Gateway on</source>
        <translation>Gateway eingeschaltet</translation>
    </message>
    <message>
        <location line="+15"/>
        <source>Copy OLLAMA_HOST</source>
        <translation>OLLAMA_HOST kopieren</translation>
    </message>
    <message>
        <location line="+4"/>
        <source>Open Settings…</source>
        <translation>Einstellungen öffnen…</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>Request Log…</source>
        <translation>Anfrageprotokoll…</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>Start at Login</source>
        <translation>Bei Anmeldung starten</translation>
    </message>
    <message>
        <location line="+6"/>
        <source>Could not change “Start at Login”</source>
        <translation>„Bei Anmeldung starten“ konnte nicht geändert werden</translation>
    </message>
    <message>
        <location line="+4"/>
        <source>Quit</source>
        <translation>Beenden</translation>
    </message>
    <message>
        <location line="+73"/>
        <source>Provider “%1” rejected its API key</source>
        <translation>Anbieter „%1“ hat seinen API-Schlüssel abgelehnt</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Check the key in Settings → Providers.</source>
        <translation>Prüfen Sie den Schlüssel unter Einstellungen → Anbieter.</translation>
    </message>
    <message>
        <location line="+33"/>
        <source>%1: API key rejected — open Settings to fix it</source>
        <translation>%1: API-Schlüssel abgelehnt — in den Einstellungen beheben</translation>
    </message>
    <message>
        <location line="+18"/>
        <source>Starting on %1…</source>
        <translation>Startet auf %1…</translation>
    </message>
    <message>
        <location line="+3"/>
        <source>Not running: %1</source>
        <translation>Läuft nicht: %1</translation>
    </message>
    <message>
        <location line="+8"/>
        <source>Copy OLLAMA_HOST=%1</source>
        <translation>OLLAMA_HOST=%1 kopieren</translation>
    </message>
    <message>
        <location line="+9"/>
        <location line="+24"/>
        <source>llm-gateway</source>
        <translation>llm-gateway</translation>
    </message>
    <message>
        <location line="-21"/>
        <source>%1: API key rejected</source>
        <translation>%1: API-Schlüssel abgelehnt</translation>
    </message>
    <message>
        <location line="+6"/>
        <source>%1: API key rejected — %2</source>
        <translation>%1: API-Schlüssel abgelehnt — %2</translation>
    </message>
    <message>
        <location line="-32"/>
        <source>Running on %1</source>
        <translation>Läuft auf %1</translation>
    </message>
    <message>
        <location line="-82"/>
        <location line="+15"/>
        <source>llm-gateway could not start</source>
        <translation>llm-gateway konnte nicht starten</translation>
    </message>
    <message numerus="yes">
        <location line="+91"/>
        <source>%n request(s)</source>
        <translation>
            <numerusform>%n Anfrage</numerusform>
            <numerusform>%n Anfragen</numerusform>
        </translation>
    </message>
</context>
</TS>

<?xml version="1.0" encoding="utf-8"?>
<!DOCTYPE TS>
<TS version="2.1" language="de_DE">
<context>
    <name>ClientGuides</name>
    <message>
        <location filename="../desktop/clientguide.cpp" line="+13"/>
        <source>GitHub Copilot (VS Code)</source>
        <translation>GitHub Copilot (VS Code)</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>In VS Code&apos;s settings.json, then Chat → Manage Models… → Ollama:</source>
        <translation>In der settings.json von VS Code, dann Chat → Manage Models… → Ollama:</translation>
    </message>
    <message>
        <location line="+4"/>
        <source>Ollama extensions for VS Code, ollama-js, ollama-python</source>
        <translation>Ollama-Erweiterungen für VS Code, ollama-js, ollama-python</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Set the extension&apos;s Ollama URL, or OLLAMA_HOST for the libraries:</source>
        <translation>Die Ollama-URL der Erweiterung, oder OLLAMA_HOST für die Bibliotheken:</translation>
    </message>
    <message>
        <location line="+4"/>
        <source>Continue (VS Code, JetBrains)</source>
        <translation>Continue (VS Code, JetBrains)</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>In ~/.continue/config.yaml:</source>
        <translation>In ~/.continue/config.yaml:</translation>
    </message>
    <message>
        <location line="+11"/>
        <source>Zed</source>
        <translation>Zed</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>In Zed&apos;s settings.json:</source>
        <translation>In der settings.json von Zed:</translation>
    </message>
    <message>
        <location line="+5"/>
        <source>JetBrains AI Assistant</source>
        <translation>JetBrains AI Assistant</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Settings → Tools → AI Assistant → Models → Third-party AI providers → Ollama, URL:</source>
        <translation>Settings → Tools → AI Assistant → Models → Third-party AI providers → Ollama, URL:</translation>
    </message>
    <message>
        <location line="+5"/>
        <source>Open WebUI</source>
        <translation>Open WebUI</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Admin Panel → Settings → Connections → Ollama API, or when starting it:</source>
        <translation>Admin Panel → Settings → Connections → Ollama API, oder beim Start:</translation>
    </message>
    <message>
        <location line="+4"/>
        <source>Ollama command line</source>
        <translation>Ollama-Kommandozeile</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>In the shell, then ollama list, ollama run %1:</source>
        <translation>In der Shell, dann ollama list, ollama run %1:</translation>
    </message>
    <message>
        <location line="+4"/>
        <source>Claude Code</source>
        <translation>Claude Code</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>In the shell before running claude --model %1:</source>
        <translation>In der Shell, vor claude --model %1:</translation>
    </message>
    <message>
        <location line="+5"/>
        <source>Codex CLI</source>
        <translation>Codex CLI</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>In the shell:</source>
        <translation>In der Shell:</translation>
    </message>
    <message>
        <location line="+5"/>
        <source>LangChain and the OpenAI SDKs</source>
        <translation>LangChain und die OpenAI-SDKs</translation>
    </message>
    <message>
        <location line="+1"/>
        <location line="+6"/>
        <source>In the environment of your program:</source>
        <translation>In der Umgebung Ihres Programms:</translation>
    </message>
    <message>
        <location line="-1"/>
        <source>The Anthropic SDKs</source>
        <translation>Die Anthropic-SDKs</translation>
    </message>
    <message>
        <location line="+13"/>
        <source>Ollama CLI</source>
        <translation>Ollama-CLI</translation>
    </message>
    <message>
        <location line="+6"/>
        <source>Copilot</source>
        <translation>Copilot</translation>
    </message>
    <message>
        <location line="+6"/>
        <source>JetBrains</source>
        <translation>JetBrains</translation>
    </message>
    <message>
        <location line="+10"/>
        <source>OpenAI SDK</source>
        <translation>OpenAI-SDK</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>Anthropic SDK</source>
        <translation>Anthropic-SDK</translation>
    </message>
    <message>
        <location line="+10"/>
        <source>not seen yet</source>
        <translation>noch nicht gesehen</translation>
    </message>
    <message>
        <location line="+3"/>
        <source>last request just now</source>
        <translation>letzte Anfrage gerade eben</translation>
    </message>
    <message numerus="yes">
        <location line="+2"/>
        <source>last request %n minute(s) ago</source>
        <translation>
            <numerusform>letzte Anfrage vor %n Minute</numerusform>
            <numerusform>letzte Anfrage vor %n Minuten</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <location line="+2"/>
        <source>last request %n hour(s) ago</source>
        <translation>
            <numerusform>letzte Anfrage vor %n Stunde</numerusform>
            <numerusform>letzte Anfrage vor %n Stunden</numerusform>
        </translation>
    </message>
    <message>
        <location line="+1"/>
        <source>last request on %1</source>
        <translation>letzte Anfrage am %1</translation>
    </message>
</context>
<context>
    <name>DesktopWords</name>
    <message>
        <location filename="../desktop/desktopwords.cpp" line="+45"/>
        <source>No API key for %1: enter one</source>
        <translation>Kein API-Schlüssel für %1: bitte einen eingeben</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>No API key for %1: enter one, or set %2</source>
        <translation>Kein API-Schlüssel für %1: bitte einen eingeben oder %2 setzen</translation>
    </message>
    <message>
        <location line="+1"/>
        <source> or </source>
        <translation> oder </translation>
    </message>
    <message>
        <location line="+2"/>
        <source>%1 rejected the API key</source>
        <translation>%1 hat den API-Schlüssel abgelehnt</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>%1 rejected the API key (it came from %2)</source>
        <translation>%1 hat den API-Schlüssel abgelehnt (er stammt aus %2)</translation>
    </message>
    <message>
        <location line="+3"/>
        <source>%1 refused access</source>
        <translation>%1 hat den Zugriff verweigert</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>%1 requires payment (the account is out of credit)</source>
        <translation>%1 verlangt eine Zahlung (das Konto hat kein Guthaben mehr)</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>Could not connect to %1</source>
        <translation>Keine Verbindung zu %1 möglich</translation>
    </message>
    <message>
        <location line="-20"/>
        <source>Could not connect to %1 securely (TLS)</source>
        <translation>Keine sichere Verbindung (TLS) zu %1 möglich</translation>
    </message>
    <message>
        <location line="-19"/>
        <source>%1&apos;s certificate comes from an issuer this computer does not trust: add the CA certificate as the provider&apos;s CA file (tls.ca_file) or set SSL_CERT_FILE</source>
        <translation>Das Zertifikat von %1 stammt von einem Aussteller, dem dieser Computer nicht vertraut: das CA-Zertifikat als CA-Datei des Anbieters eintragen (tls.ca_file) oder SSL_CERT_FILE setzen</translation>
    </message>
    <message>
        <location line="+5"/>
        <source>%1&apos;s certificate has expired or is not valid yet: renew it on the server, or check this computer&apos;s clock</source>
        <translation>Das Zertifikat von %1 ist abgelaufen oder noch nicht gültig: auf dem Server erneuern oder die Uhr dieses Computers prüfen</translation>
    </message>
    <message>
        <location line="+4"/>
        <source>%1&apos;s certificate is for another host name: use the name it was issued for in the base URL</source>
        <translation>Das Zertifikat von %1 gilt für einen anderen Hostnamen: in der Basis-URL den Namen verwenden, für den es ausgestellt wurde</translation>
    </message>
    <message>
        <location line="+4"/>
        <source>%1 refused the secure connection: if it requires a client certificate, set the certificate and key files</source>
        <translation>%1 hat die sichere Verbindung abgelehnt: verlangt der Server ein Client-Zertifikat, Zertifikat- und Schlüsseldatei eintragen</translation>
    </message>
    <message>
        <location line="+30"/>
        <source>%1 did not answer in time</source>
        <translation>%1 hat nicht rechtzeitig geantwortet</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>%1 closed the connection</source>
        <translation>%1 hat die Verbindung geschlossen</translation>
    </message>
    <message>
        <location line="+3"/>
        <source>%1 is rate limiting requests: try again in %2 s</source>
        <translation>%1 begrenzt die Anfragen: in %2 s erneut versuchen</translation>
    </message>
    <message>
        <location line="+3"/>
        <source>%1 is rate limiting requests: try again later</source>
        <translation>%1 begrenzt die Anfragen: später erneut versuchen</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>%1 says the account is out of quota</source>
        <translation>%1 meldet, dass das Kontingent des Kontos aufgebraucht ist</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>%1 does not know the model %2</source>
        <translation>%1 kennt das Modell %2 nicht</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>The prompt is too long for the model</source>
        <translation>Die Eingabe ist zu lang für das Modell</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>%1 says the request is too large</source>
        <translation>%1 meldet, dass die Anfrage zu groß ist</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>%1 refused the request</source>
        <translation>%1 hat die Anfrage abgelehnt</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>%1 cannot do this</source>
        <translation>%1 kann das nicht</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>%1 is overloaded: try again later</source>
        <translation>%1 ist überlastet: später erneut versuchen</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>%1 answered with an error</source>
        <translation>%1 hat mit einem Fehler geantwortet</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>%1 blocked the answer (content filter)</source>
        <translation>%1 hat die Antwort blockiert (Inhaltsfilter)</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>The budget is used up</source>
        <translation>Das Budget ist aufgebraucht</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>The request came back to llm-gateway (a loop)</source>
        <translation>Die Anfrage kam zu llm-gateway zurück (eine Schleife)</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>llm-gateway is shutting down</source>
        <translation>llm-gateway wird beendet</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>Canceled</source>
        <translation>Abgebrochen</translation>
    </message>
    <message>
        <location line="+4"/>
        <source>Internal error</source>
        <translation>Interner Fehler</translation>
    </message>
    <message>
        <location line="+7"/>
        <source>the provider</source>
        <translation>der Anbieter</translation>
    </message>
    <message>
        <location line="+5"/>
        <source>HTTP %1</source>
        <translation>HTTP %1</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>%1: %2</source>
        <translation>%1: %2</translation>
    </message>
    <message>
        <location line="+10"/>
        <source>%1: connected — the built-in echo provider needs no network</source>
        <translation>%1: verbunden — der eingebaute Echo-Anbieter braucht kein Netzwerk</translation>
    </message>
    <message>
        <location line="+3"/>
        <source>%1: this provider type cannot list its models: use Try it on a mapping to test it</source>
        <translation>%1: dieser Anbietertyp kann seine Modelle nicht auflisten: zum Testen „Ausprobieren“ bei einer Zuordnung verwenden</translation>
    </message>
    <message>
        <location line="+4"/>
        <source>%1: connected — 1 model</source>
        <translation>%1: verbunden — 1 Modell</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>%1: connected — %2 models</source>
        <translation>%1: verbunden — %2 Modelle</translation>
    </message>
    <message>
        <location line="+10"/>
        <source>no keychain available on this system (no D-Bus session bus)</source>
        <translation>auf diesem System ist kein Schlüsselbund verfügbar (kein D-Bus-Sitzungsbus)</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>the keychain did not answer (is it locked, waiting for a password?)</source>
        <translation>der Schlüsselbund hat nicht geantwortet (ist er gesperrt und wartet auf ein Passwort?)</translation>
    </message>
    <message>
        <location line="+3"/>
        <source>the keychain is locked or refused access</source>
        <translation>der Schlüsselbund ist gesperrt oder hat den Zugriff verweigert</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>the keychain is locked or refused access (%1)</source>
        <translation>der Schlüsselbund ist gesperrt oder hat den Zugriff verweigert (%1)</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>no keychain available on this system</source>
        <translation>auf diesem System ist kein Schlüsselbund verfügbar</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>no keychain available on this system (%1)</source>
        <translation>auf diesem System ist kein Schlüsselbund verfügbar (%1)</translation>
    </message>
    <message>
        <location line="+4"/>
        <source>the keychain failed: %1</source>
        <translation>Fehler im Schlüsselbund: %1</translation>
    </message>
    <message>
        <location line="+6"/>
        <source>Key stored in the keychain</source>
        <translation>Schlüssel im Schlüsselbund gespeichert</translation>
    </message>
    <message>
        <location line="+0"/>
        <source>Key deleted from the keychain</source>
        <translation>Schlüssel aus dem Schlüsselbund gelöscht</translation>
    </message>
    <message>
        <location line="+3"/>
        <source>no keychain available on this system — set %1 instead (%2)</source>
        <translation>auf diesem System ist kein Schlüsselbund verfügbar — stattdessen %1 setzen (%2)</translation>
    </message>
    <message>
        <location line="+14"/>
        <source>$%1</source>
        <translation>%1 $</translation>
    </message>
    <message>
        <location line="+6"/>
        <source>the daily budget for all providers</source>
        <translation>das Tagesbudget für alle Anbieter</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>the monthly budget for all providers</source>
        <translation>das Monatsbudget für alle Anbieter</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>the daily budget for %1</source>
        <translation>das Tagesbudget für %1</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>the monthly budget for %1</source>
        <translation>das Monatsbudget für %1</translation>
    </message>
    <message>
        <location line="+6"/>
        <source>80 % of a budget spent</source>
        <translation>80 % eines Budgets ausgegeben</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Budget used up: requests are refused</source>
        <translation>Budget aufgebraucht: Anfragen werden abgelehnt</translation>
    </message>
    <message>
        <location line="+0"/>
        <source>Budget used up</source>
        <translation>Budget aufgebraucht</translation>
    </message>
    <message>
        <location line="+5"/>
        <source>%1 of %2 spent</source>
        <translation>%1 von %2 ausgegeben</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>%1: %2.</source>
        <translation>%1: %2.</translation>
    </message>
    <message>
        <location line="+3"/>
        <source>Requests get “429 budget used up” until the period ends; raise the budget in Settings → Usage.</source>
        <translation>Anfragen erhalten „429 Budget aufgebraucht“, bis der Zeitraum endet; erhöhen Sie das Budget unter Einstellungen → Nutzung.</translation>
    </message>
    <message>
        <location line="+11"/>
        <source>the model takes temperature or top_p, not both; temperature wins</source>
        <translation>das Modell nimmt temperature oder top_p, nicht beides; temperature hat Vorrang</translation>
    </message>
    <message>
        <location line="+3"/>
        <source>reasoning models refuse it</source>
        <translation>Reasoning-Modelle lehnen es ab</translation>
    </message>
    <message>
        <location line="+3"/>
        <source>the model refuses it while thinking</source>
        <translation>das Modell lehnt es ab, während es nachdenkt</translation>
    </message>
    <message>
        <location line="+3"/>
        <source>the provider is set to send no sampling fields</source>
        <translation>der Anbieter ist so eingestellt, dass keine Sampling-Felder gesendet werden</translation>
    </message>
    <message>
        <location line="+3"/>
        <source>outside the provider&apos;s range</source>
        <translation>außerhalb des Bereichs des Anbieters</translation>
    </message>
    <message>
        <location line="+3"/>
        <source>the model has no such setting</source>
        <translation>das Modell hat keine solche Einstellung</translation>
    </message>
    <message>
        <location line="+4"/>
        <source>%1 left out: %2</source>
        <translation>%1 weggelassen: %2</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>%1 sent as %2: %3</source>
        <translation>%1 als %2 gesendet: %3</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>%1 %2 sent as %3: %4</source>
        <translation>%1 %2 als %3 gesendet: %4</translation>
    </message>
</context>
<context>
    <name>QObject</name>
    <message>
        <location filename="../ui/logwindow.cpp" line="+35"/>
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
    <name>gw::ConnectPage</name>
    <message>
        <location filename="../ui/connectpage.cpp" line="+100"/>
        <source>The gateway answers at &lt;b&gt;%1&lt;/b&gt;. Point your tools at it with the lines below; each says whether that tool has been seen.</source>
        <translation>Das Gateway antwortet unter &lt;b&gt;%1&lt;/b&gt;. Richten Sie Ihre Werkzeuge mit den Zeilen unten darauf aus; bei jedem steht, ob es schon gesehen wurde.</translation>
    </message>
    <message>
        <location line="+4"/>
        <source>It listens beyond this computer: clients on other machines send the access token, included below.</source>
        <translation>Es ist über diesen Computer hinaus erreichbar: Clients auf anderen Rechnern senden das Zugangstoken, das unten enthalten ist.</translation>
    </message>
    <message>
        <location line="+32"/>
        <source>Copy</source>
        <translation>Kopieren</translation>
    </message>
</context>
<context>
    <name>gw::CostChart</name>
    <message>
        <location filename="../ui/costchart.cpp" line="+27"/>
        <source>Cost per day by provider</source>
        <translation>Kosten pro Tag nach Anbieter</translation>
    </message>
    <message>
        <location line="+60"/>
        <source>No spending in this range</source>
        <translation>Keine Ausgaben in diesem Zeitraum</translation>
    </message>
</context>
<context>
    <name>gw::LogTableModel</name>
    <message>
        <location filename="../ui/logtablemodel.cpp" line="+63"/>
        <source>%1 ms</source>
        <translation>%1 ms</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>%1 s</source>
        <translation>%1 s</translation>
    </message>
    <message>
        <location line="+24"/>
        <source>Ollama</source>
        <translation>Ollama</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>OpenAI</source>
        <translation>OpenAI</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>OpenAI Responses</source>
        <translation>OpenAI Responses</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Anthropic</source>
        <translation>Anthropic</translation>
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
        <location line="+51"/>
        <source>TLS certificate not verified (insecure_skip_verify)</source>
        <translation>TLS-Zertifikat wird nicht geprüft (insecure_skip_verify)</translation>
    </message>
    <message>
        <location line="+44"/>
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
        <location line="+158"/>
        <source>Pause</source>
        <translation>Anhalten</translation>
    </message>
    <message>
        <location line="-156"/>
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
        <location line="+84"/>
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
        <location line="+7"/>
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
        <location line="+4"/>
        <source>Changed for the model&apos;s rules:</source>
        <translation>Für die Regeln des Modells geändert:</translation>
    </message>
    <message>
        <location line="+5"/>
        <source>── Request body (first %1 KB, keys redacted) ──</source>
        <translation>── Anfrageinhalt (erste %1 KB, Schlüssel unkenntlich) ──</translation>
    </message>
    <message>
        <location line="+3"/>
        <source>── Response body (first %1 KB, keys redacted) ──</source>
        <translation>── Antwortinhalt (erste %1 KB, Schlüssel unkenntlich) ──</translation>
    </message>
</context>
<context>
    <name>gw::MappingTableModel</name>
    <message>
        <location filename="../ui/mappingtablemodel.cpp" line="+115"/>
        <source>Row %1: enter the name clients will use.</source>
        <translation>Zeile %1: Geben Sie den Namen ein, den Clients verwenden.</translation>
    </message>
    <message>
        <location line="+3"/>
        <source>Row %1: the name &apos;%2&apos; is used twice (names are compared without case and without &apos;:latest&apos;).</source>
        <translation>Zeile %1: Der Name „%2“ kommt doppelt vor (Namen werden ohne Groß-/Kleinschreibung und ohne „:latest“ verglichen).</translation>
    </message>
    <message>
        <location line="+8"/>
        <source>Row %1: unknown provider &apos;%2&apos; — add it on the Providers page.</source>
        <translation>Zeile %1: unbekannter Anbieter „%2“ – fügen Sie ihn auf der Seite „Anbieter“ hinzu.</translation>
    </message>
    <message>
        <location line="+6"/>
        <source>Row %1: enter the provider&apos;s model id.</source>
        <translation>Zeile %1: Geben Sie die Modell-ID des Anbieters ein.</translation>
    </message>
    <message>
        <location line="+5"/>
        <source>Row %1: unknown capability &apos;%2&apos; (known: %3).</source>
        <translation>Zeile %1: unbekannte Fähigkeit „%2“ (bekannt: %3).</translation>
    </message>
    <message>
        <location line="+10"/>
        <source>Row %1: fallback &apos;%2&apos; is not a model in this table.</source>
        <translation>Zeile %1: Ausweichmodell „%2“ steht nicht in dieser Tabelle.</translation>
    </message>
    <message>
        <location line="+59"/>
        <source>Empty: from the built-in table of well-known models</source>
        <translation>Leer: aus der eingebauten Tabelle bekannter Modelle</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>Dollars per million tokens: input / output, optionally / cached input / cache write (e.g. 3 / 15 / 0.3 / 3.75). Empty: the built-in price of well-known models; a model without one shows its cost as “–”.</source>
        <translation>Dollar pro Million Tokens: Eingabe / Ausgabe, optional / gecachte Eingabe / Cache-Schreiben (z. B. 3 / 15 / 0,3 / 3,75). Leer: der eingebaute Preis bekannter Modelle; ein Modell ohne Preis zeigt seine Kosten als „–“.</translation>
    </message>
    <message>
        <location line="+4"/>
        <source>Empty: from the built-in table. Known: %1</source>
        <translation>Leer: aus der eingebauten Tabelle. Bekannt: %1</translation>
    </message>
    <message>
        <location line="+16"/>
        <source>Name</source>
        <translation>Name</translation>
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
        <source>Context</source>
        <translation>Kontext</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>Capabilities</source>
        <translation>Fähigkeiten</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>Fallbacks</source>
        <translation>Ausweichmodelle</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>Price ($/M tokens)</source>
        <translation>Preis ($/Mio. Tokens)</translation>
    </message>
</context>
<context>
    <name>gw::ModelsPage</name>
    <message>
        <location filename="../ui/modelspage.cpp" line="+65"/>
        <source>default</source>
        <translation>Standard</translation>
    </message>
    <message>
        <location line="+41"/>
        <source>Names clients ask for (e.g. in `ollama run NAME` or an IDE), and where each one goes. Any provider&apos;s model is also reachable as provider/model without a mapping.</source>
        <translation>Namen, die Clients anfragen (z. B. in `ollama run NAME` oder einer IDE), und wohin jeder führt. Jedes Modell eines Anbieters ist auch ohne Zuordnung als anbieter/modell erreichbar.</translation>
    </message>
    <message>
        <location line="+34"/>
        <source>Add</source>
        <translation>Hinzufügen</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>Remove</source>
        <translation>Entfernen</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>Import…</source>
        <translation>Importieren…</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Export…</source>
        <translation>Exportieren…</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Revert</source>
        <translation>Verwerfen</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>Apply</source>
        <translation>Anwenden</translation>
    </message>
    <message>
        <location line="+14"/>
        <source>Try it</source>
        <translation>Ausprobieren</translation>
    </message>
    <message>
        <location line="+7"/>
        <source>Say hello in five words.</source>
        <translation>Sag Hallo in fünf Wörtern.</translation>
    </message>
    <message>
        <location line="+2"/>
        <location line="+99"/>
        <location line="+116"/>
        <source>Send</source>
        <translation>Senden</translation>
    </message>
    <message>
        <location line="-206"/>
        <source>The answer appears here as it streams in. Try it uses the applied mappings.</source>
        <translation>Die Antwort erscheint hier, während sie eintrifft. „Ausprobieren“ verwendet die angewendeten Zuordnungen.</translation>
    </message>
    <message>
        <location line="+14"/>
        <source>Import Model Mappings</source>
        <translation>Modellzuordnungen importieren</translation>
    </message>
    <message>
        <location line="+1"/>
        <location line="+10"/>
        <source>JSON files (*.json)</source>
        <translation>JSON-Dateien (*.json)</translation>
    </message>
    <message>
        <location line="-1"/>
        <source>Export Model Mappings</source>
        <translation>Modellzuordnungen exportieren</translation>
    </message>
    <message>
        <location line="+45"/>
        <source>Not applied: %1</source>
        <translation>Nicht angewendet: %1</translation>
    </message>
    <message>
        <location line="+23"/>
        <source>Error: %1</source>
        <translation>Fehler: %1</translation>
    </message>
    <message>
        <location line="+38"/>
        <source>No mappings yet — add one, or ask for provider/model (e.g. openai/gpt-4o) or the built-in &quot;echo&quot;.</source>
        <translation>Noch keine Zuordnungen – fügen Sie eine hinzu oder fragen Sie nach anbieter/modell (z. B. openai/gpt-4o) oder dem eingebauten „echo“.</translation>
    </message>
    <message>
        <location line="+4"/>
        <source>Changes not applied yet.</source>
        <translation>Änderungen noch nicht angewendet.</translation>
    </message>
    <message>
        <location line="+29"/>
        <source>Cannot read %1: %2</source>
        <translation>%1 kann nicht gelesen werden: %2</translation>
    </message>
    <message>
        <location line="+10"/>
        <source>Not imported: %1</source>
        <translation>Nicht importiert: %1</translation>
    </message>
    <message>
        <location line="+17"/>
        <location line="+5"/>
        <source>Cannot write %1: %2</source>
        <translation>%1 kann nicht geschrieben werden: %2</translation>
    </message>
    <message>
        <location line="+12"/>
        <source>(stopped)</source>
        <translation>(angehalten)</translation>
    </message>
    <message>
        <location line="+7"/>
        <source>Stop</source>
        <translation>Stopp</translation>
    </message>
</context>
<context>
    <name>gw::ProviderDialog</name>
    <message>
        <location filename="../ui/providerdialog.cpp" line="+33"/>
        <source>OpenAI-compatible server (custom)</source>
        <translation>OpenAI-kompatibler Server (eigener)</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Ollama server</source>
        <translation>Ollama-Server</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Text Generation Inference server</source>
        <translation>Text-Generation-Inference-Server</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>Azure OpenAI</source>
        <translation>Azure OpenAI</translation>
    </message>
    <message>
        <location line="+11"/>
        <source>Edit Provider</source>
        <translation>Anbieter bearbeiten</translation>
    </message>
    <message>
        <location line="+0"/>
        <source>Add Provider</source>
        <translation>Anbieter hinzufügen</translation>
    </message>
    <message>
        <location line="+13"/>
        <source>Service:</source>
        <translation>Dienst:</translation>
    </message>
    <message>
        <location line="+6"/>
        <source>letters, digits, _ . -</source>
        <translation>Buchstaben, Ziffern, _ . -</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Clients reach this provider&apos;s models as NAME/model; the key is stored under this name</source>
        <translation>Clients erreichen die Modelle dieses Anbieters als NAME/modell; der Schlüssel wird unter diesem Namen gespeichert</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>Name:</source>
        <translation>Name:</translation>
    </message>
    <message>
        <location line="+8"/>
        <source>Type:</source>
        <translation>Typ:</translation>
    </message>
    <message>
        <location line="+4"/>
        <source>the type&apos;s default</source>
        <translation>Standard des Typs</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Base URL:</source>
        <translation>Basis-URL:</translation>
    </message>
    <message>
        <location line="+5"/>
        <source>•••• stored in keychain</source>
        <translation>•••• im Schlüsselbund gespeichert</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>paste the key; it is kept in the OS keychain</source>
        <translation>Schlüssel einfügen; er wird im Schlüsselbund des Systems aufbewahrt</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Delete Stored Key</source>
        <translation>Gespeicherten Schlüssel löschen</translation>
    </message>
    <message>
        <location line="+6"/>
        <source>API key:</source>
        <translation>API-Schlüssel:</translation>
    </message>
    <message>
        <location line="+11"/>
        <source>Test Connection</source>
        <translation>Verbindung testen</translation>
    </message>
    <message>
        <location line="+27"/>
        <source>the stored key will be deleted</source>
        <translation>der gespeicherte Schlüssel wird gelöscht</translation>
    </message>
    <message>
        <location line="+11"/>
        <source>Testing…</source>
        <translation>Teste…</translation>
    </message>
    <message>
        <location line="+45"/>
        <source>Browse…</source>
        <translation>Durchsuchen…</translation>
    </message>
    <message>
        <location line="+19"/>
        <source>the system&apos;s (HTTPS_PROXY or the desktop&apos;s settings)</source>
        <translation>der des Systems (HTTPS_PROXY oder die Einstellungen des Desktops)</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>&quot;direct&quot; to bypass every proxy, or a proxy URL such as http://user:password@proxy.example:3128</source>
        <translation>„direct“, um jeden Proxy zu umgehen, oder eine Proxy-URL wie http://user:password@proxy.example:3128</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>Proxy:</source>
        <translation>Proxy:</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>PEM files (*.pem *.crt *.cer *.key);;All files (*)</source>
        <translation>PEM-Dateien (*.pem *.crt *.cer *.key);;Alle Dateien (*)</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>CA certificate:</source>
        <translation>CA-Zertifikat:</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>only for a private CA; added to the system&apos;s</source>
        <translation>nur für eine private CA; ergänzt die des Systems</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Client certificate:</source>
        <translation>Client-Zertifikat:</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>only if the server requires one (mutual TLS)</source>
        <translation>nur wenn der Server eines verlangt (gegenseitiges TLS)</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Client key:</source>
        <translation>Client-Schlüssel:</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Do not verify the server&apos;s certificate (insecure)</source>
        <translation>Zertifikat des Servers nicht prüfen (unsicher)</translation>
    </message>
    <message>
        <location line="+5"/>
        <source>Anyone on the network path can read and change this provider&apos;s traffic, API key included. Use it only for a lab server; prefer the CA certificate.</source>
        <translation>Jeder auf dem Netzwerkweg kann den Verkehr mit diesem Anbieter lesen und verändern, den API-Schlüssel eingeschlossen. Nur für einen Laborserver verwenden; besser das CA-Zertifikat eintragen.</translation>
    </message>
    <message>
        <location line="+74"/>
        <source>Enter a name for the provider.</source>
        <translation>Geben Sie einen Namen für den Anbieter ein.</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>The name may only contain letters, digits, &apos;_&apos;, &apos;.&apos; and &apos;-&apos;, and must start with a letter or digit.</source>
        <translation>Der Name darf nur Buchstaben, Ziffern, „_“, „.“ und „-“ enthalten und muss mit einem Buchstaben oder einer Ziffer beginnen.</translation>
    </message>
    <message>
        <location line="+3"/>
        <source>A provider named &apos;%1&apos; exists already.</source>
        <translation>Ein Anbieter namens „%1“ existiert bereits.</translation>
    </message>
    <message>
        <location line="+5"/>
        <source>The base URL must be an http:// or https:// address.</source>
        <translation>Die Basis-URL muss eine http://- oder https://-Adresse sein.</translation>
    </message>
    <message>
        <location line="+3"/>
        <source>Azure OpenAI needs your resource&apos;s endpoint as the base URL.</source>
        <translation>Azure OpenAI braucht den Endpunkt Ihrer Ressource als Basis-URL.</translation>
    </message>
</context>
<context>
    <name>gw::ProvidersPage</name>
    <message>
        <location filename="../ui/providerspage.cpp" line="+28"/>
        <source>Name</source>
        <translation>Name</translation>
    </message>
    <message>
        <location line="+0"/>
        <source>Type</source>
        <translation>Typ</translation>
    </message>
    <message>
        <location line="+0"/>
        <source>Base URL</source>
        <translation>Basis-URL</translation>
    </message>
    <message>
        <location line="+0"/>
        <source>API key</source>
        <translation>API-Schlüssel</translation>
    </message>
    <message>
        <location line="+10"/>
        <source>No providers yet — add one, or set OPENAI_API_KEY (or another provider&apos;s key variable) before starting the app.

The built-in &quot;echo&quot; model works without any provider.</source>
        <translation>Noch keine Anbieter – fügen Sie einen hinzu oder setzen Sie OPENAI_API_KEY (oder die Schlüsselvariable eines anderen Anbieters), bevor Sie die App starten.

Das eingebaute Modell „echo“ funktioniert ohne Anbieter.</translation>
    </message>
    <message>
        <location line="+26"/>
        <source>Add…</source>
        <translation>Hinzufügen…</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>Edit…</source>
        <translation>Bearbeiten…</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>Remove</source>
        <translation>Entfernen</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>Test Connection</source>
        <translation>Verbindung testen</translation>
    </message>
    <message>
        <location line="+44"/>
        <source>%1: the key was not stored: %2</source>
        <translation>%1: Der Schlüssel wurde nicht gespeichert: %2</translation>
    </message>
    <message>
        <location line="+11"/>
        <source>not needed</source>
        <translation>nicht nötig</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>stored in keychain</source>
        <translation>im Schlüsselbund gespeichert</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>from %1</source>
        <translation>aus %1</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>none (not needed on a local server)</source>
        <translation>keiner (auf einem lokalen Server nicht nötig)</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>missing</source>
        <translation>fehlt</translation>
    </message>
    <message>
        <location line="+10"/>
        <source>…</source>
        <translation>…</translation>
    </message>
    <message>
        <location line="+12"/>
        <source>(default)</source>
        <translation>(Standard)</translation>
    </message>
    <message>
        <location line="+1"/>
        <source> — certificate NOT verified</source>
        <translation> — Zertifikat wird NICHT geprüft</translation>
    </message>
    <message>
        <location line="+7"/>
        <source>insecure_skip_verify is on: anyone on the network path can read and change this provider&apos;s traffic</source>
        <translation>insecure_skip_verify ist eingeschaltet: jeder auf dem Netzwerkweg kann den Verkehr mit diesem Anbieter lesen und verändern</translation>
    </message>
    <message>
        <location line="+15"/>
        <source>%1. Keys can still come from environment variables such as OPENAI_API_KEY, or from a .env file in the working directory.</source>
        <translation>%1. Schlüssel können weiterhin aus Umgebungsvariablen wie OPENAI_API_KEY oder aus einer .env-Datei im Arbeitsverzeichnis kommen.</translation>
    </message>
    <message>
        <location line="+11"/>
        <location line="+12"/>
        <source>Stored only in the OS keychain, never in the config file.</source>
        <translation>Nur im Schlüsselbund des Systems gespeichert, nie in der Konfigurationsdatei.</translation>
    </message>
    <message>
        <location line="+6"/>
        <source>Now from %1 (not stored by llm-gateway). A key entered here goes to the keychain and takes precedence.</source>
        <translation>Derzeit aus %1 (nicht von llm-gateway gespeichert). Ein hier eingegebener Schlüssel kommt in den Schlüsselbund und hat Vorrang.</translation>
    </message>
    <message>
        <location line="+43"/>
        <source>&apos;%1&apos; is used by the models %2: map them elsewhere or remove them first (Models page).</source>
        <translation>„%1“ wird von den Modellen %2 verwendet: Ordnen Sie diese zuerst anders zu oder entfernen Sie sie (Seite „Modelle“).</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>, </source>
        <translation>, </translation>
    </message>
    <message>
        <location line="+17"/>
        <source>%1: testing…</source>
        <translation>%1: teste…</translation>
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
    <name>gw::ServerPage</name>
    <message>
        <location filename="../ui/serverpage.cpp" line="+29"/>
        <source>Listen</source>
        <translation>Lauschen</translation>
    </message>
    <message>
        <location line="+12"/>
        <source>Port:</source>
        <translation>Port:</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>Address:</source>
        <translation>Adresse:</translation>
    </message>
    <message>
        <location line="+23"/>
        <source>required beyond loopback (or set LLM_GATEWAY_TOKEN)</source>
        <translation>nötig außerhalb von Loopback (oder LLM_GATEWAY_TOKEN setzen)</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Access token:</source>
        <translation>Zugriffstoken:</translation>
    </message>
    <message>
        <location line="+11"/>
        <source>Browser access</source>
        <translation>Browserzugriff</translation>
    </message>
    <message>
        <location line="+3"/>
        <source>Web pages allowed to call the gateway, one origin per line (e.g. https://chat.example.com). Local pages and apps are always allowed.</source>
        <translation>Webseiten, die das Gateway aufrufen dürfen, ein Origin pro Zeile (z. B. https://chat.example.com). Lokale Seiten und Apps sind immer erlaubt.</translation>
    </message>
    <message>
        <location line="+11"/>
        <source>Application</source>
        <translation>Anwendung</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>Start llm-gateway when I log in</source>
        <translation>llm-gateway bei der Anmeldung starten</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>Start the gateway when the app starts</source>
        <translation>Gateway beim Start der App starten</translation>
    </message>
    <message>
        <location line="+4"/>
        <source>System default</source>
        <translation>Systemstandard</translation>
    </message>
    <message>
        <location line="-48"/>
        <source>⚠ Beyond this computer: anyone on the network who can reach this address could use your API keys. Clients on other machines must send the access token below (Authorization: Bearer …); programs on this computer need none unless you ask for it.</source>
        <translation>⚠ Über diesen Computer hinaus: Jeder im Netzwerk, der diese Adresse erreicht, könnte Ihre API-Schlüssel nutzen. Clients auf anderen Rechnern müssen das Zugangstoken unten senden (Authorization: Bearer …); Programme auf diesem Computer brauchen keines, außer Sie verlangen es.</translation>
    </message>
    <message>
        <location line="+18"/>
        <source>Require the token from programs on this computer too</source>
        <translation>Das Token auch von Programmen auf diesem Computer verlangen</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>Off: IDE plugins on this computer (which often cannot send a token) connect without it, as when listening on this computer only.</source>
        <translation>Aus: IDE-Plugins auf diesem Computer (die oft kein Token senden können) verbinden sich ohne, wie wenn nur auf diesem Computer gelauscht wird.</translation>
    </message>
    <message>
        <location line="+34"/>
        <source>Language:</source>
        <translation>Sprache:</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>The new language applies when llm-gateway restarts.</source>
        <translation>Die neue Sprache gilt nach einem Neustart von llm-gateway.</translation>
    </message>
    <message>
        <location line="+3"/>
        <source>Restart Now</source>
        <translation>Jetzt neu starten</translation>
    </message>
    <message>
        <location line="+21"/>
        <source>Could not change “Start at login”: %1</source>
        <translation>„Bei Anmeldung starten“ konnte nicht geändert werden: %1</translation>
    </message>
    <message>
        <location line="+28"/>
        <source>Revert</source>
        <translation>Verwerfen</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Apply</source>
        <translation>Anwenden</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>Saves and restarts the listener; the app keeps running</source>
        <translation>Speichert und startet den Listener neu; die App läuft weiter</translation>
    </message>
    <message>
        <location line="+18"/>
        <location line="+9"/>
        <source>Running at %1</source>
        <translation>Läuft unter %1</translation>
    </message>
    <message>
        <location line="-7"/>
        <source>Not running: %1</source>
        <translation>Läuft nicht: %1</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>Stopped</source>
        <translation>Angehalten</translation>
    </message>
    <message>
        <location line="+37"/>
        <source>The gateway is not running.</source>
        <translation>Das Gateway läuft nicht.</translation>
    </message>
    <message>
        <location line="+0"/>
        <source>Listening on %1</source>
        <translation>Lauscht auf %1</translation>
    </message>
    <message>
        <location line="+3"/>
        <source>%1 — set by --listen %2 on the command line, which wins over the address here until the app is started without it.</source>
        <translation>%1 — festgelegt durch --listen %2 auf der Kommandozeile; das hat Vorrang vor der Adresse hier, bis die App ohne es gestartet wird.</translation>
    </message>
    <message>
        <location line="+5"/>
        <source>%1 — set by the environment variable OLLAMA_HOST=%2, which wins over the address here.</source>
        <translation>%1 — festgelegt durch die Umgebungsvariable OLLAMA_HOST=%2, die Vorrang vor der Adresse hier hat.</translation>
    </message>
    <message>
        <location line="+5"/>
        <source>%1 — the address set here.</source>
        <translation>%1 — die hier eingestellte Adresse.</translation>
    </message>
    <message>
        <location line="+3"/>
        <source>%1 — the default address (Ollama&apos;s).</source>
        <translation>%1 — die Standardadresse (die von Ollama).</translation>
    </message>
    <message>
        <location line="+38"/>
        <source>Address: %1</source>
        <translation>Adresse: %1</translation>
    </message>
    <message>
        <location line="+3"/>
        <source>Set an access token to listen beyond this computer.</source>
        <translation>Setzen Sie ein Zugriffstoken, um über diesen Computer hinaus zu lauschen.</translation>
    </message>
</context>
<context>
    <name>gw::SettingsWindow</name>
    <message>
        <location filename="../ui/settingswindow.cpp" line="+22"/>
        <source>llm-gateway Settings</source>
        <translation>llm-gateway-Einstellungen</translation>
    </message>
    <message>
        <location line="+21"/>
        <source>Providers</source>
        <translation>Anbieter</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Models</source>
        <translation>Modelle</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Server</source>
        <translation>Server</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>Connect Your Tools</source>
        <translation>Werkzeuge verbinden</translation>
    </message>
    <message>
        <location line="+20"/>
        <source>The configuration was not applied: %1</source>
        <translation>Die Konfiguration wurde nicht angewendet: %1</translation>
    </message>
</context>
<context>
    <name>gw::TrayController</name>
    <message>
        <location filename="../ui/traycontroller.cpp" line="+37"/>
        <location line="+238"/>
        <source>Gateway stopped</source>
        <translation>Gateway gestoppt</translation>
    </message>
    <message>
        <location line="-234"/>
        <source>Gateway on</source>
        <translation>Gateway eingeschaltet</translation>
    </message>
    <message>
        <location line="+15"/>
        <source>Copy OLLAMA_HOST</source>
        <translation>OLLAMA_HOST kopieren</translation>
    </message>
    <message>
        <location line="+5"/>
        <source>Copy Claude Code environment</source>
        <translation>Claude-Code-Umgebung kopieren</translation>
    </message>
    <message>
        <location line="+6"/>
        <source>Open Settings…</source>
        <translation>Einstellungen öffnen…</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>Connect Your Tools…</source>
        <translation>Werkzeuge verbinden…</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>Request Log…</source>
        <translation>Anfrageprotokoll…</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>Usage and Spend…</source>
        <translation>Nutzung und Kosten…</translation>
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
        <location line="+120"/>
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
        <location line="+10"/>
        <source>Budget used up — requests are refused</source>
        <translation>Budget aufgebraucht — Anfragen werden abgelehnt</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>%1: budget used up — requests are refused</source>
        <translation>%1: Budget aufgebraucht — Anfragen werden abgelehnt</translation>
    </message>
    <message>
        <location line="+19"/>
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
        <location line="+10"/>
        <location line="+28"/>
        <source>llm-gateway</source>
        <translation>llm-gateway</translation>
    </message>
    <message>
        <location line="-25"/>
        <source>%1: API key rejected</source>
        <translation>%1: API-Schlüssel abgelehnt</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>Spent today: %1</source>
        <translation>Heute ausgegeben: %1</translation>
    </message>
    <message>
        <location line="+8"/>
        <source>%1: API key rejected — %2</source>
        <translation>%1: API-Schlüssel abgelehnt — %2</translation>
    </message>
    <message>
        <location line="-37"/>
        <source>Running on %1</source>
        <translation>Läuft auf %1</translation>
    </message>
    <message>
        <location line="-140"/>
        <location line="+15"/>
        <source>llm-gateway could not start</source>
        <translation>llm-gateway konnte nicht starten</translation>
    </message>
    <message numerus="yes">
        <location line="+150"/>
        <source>%n request(s)</source>
        <translation>
            <numerusform>%n Anfrage</numerusform>
            <numerusform>%n Anfragen</numerusform>
        </translation>
    </message>
</context>
<context>
    <name>gw::UsageWindow</name>
    <message>
        <location filename="../ui/usagewindow.cpp" line="+31"/>
        <source>unknown</source>
        <translation>unbekannt</translation>
    </message>
    <message>
        <location line="+106"/>
        <location line="+6"/>
        <source>Export usage</source>
        <translation>Nutzung exportieren</translation>
    </message>
    <message>
        <location line="-3"/>
        <source>CSV files (*.csv)</source>
        <translation>CSV-Dateien (*.csv)</translation>
    </message>
    <message numerus="yes">
        <location line="+96"/>
        <source>%1 spent · %n request(s)</source>
        <translation>
            <numerusform>%1 ausgegeben · %n Anfrage</numerusform>
            <numerusform>%1 ausgegeben · %n Anfragen</numerusform>
        </translation>
    </message>
    <message>
        <location line="+4"/>
        <source>%1 saved by caching</source>
        <translation>%1 durch Caching gespart</translation>
    </message>
    <message numerus="yes">
        <location line="+3"/>
        <source>%n without a known price</source>
        <translation>
            <numerusform>%n ohne bekannten Preis</numerusform>
            <numerusform>%n ohne bekannten Preis</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <location line="+26"/>
        <source>%n request(s) without a known price are not counted</source>
        <translation>
            <numerusform>%n Anfrage ohne bekannten Preis ist nicht mitgezählt</numerusform>
            <numerusform>%n Anfragen ohne bekannten Preis sind nicht mitgezählt</numerusform>
        </translation>
    </message>
    <message>
        <location line="+20"/>
        <source>All providers</source>
        <translation>Alle Anbieter</translation>
    </message>
    <message>
        <location line="+8"/>
        <source>per day</source>
        <translation>pro Tag</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>per month</source>
        <translation>pro Monat</translation>
    </message>
    <message>
        <location line="+9"/>
        <source>refuse requests</source>
        <translation>Anfragen ablehnen</translation>
    </message>
    <message>
        <location line="+14"/>
        <source>%1 (%2 %)</source>
        <translation>%1 (%2 %)</translation>
    </message>
    <message>
        <location line="+94"/>
        <source>Usage — llm-gateway</source>
        <translation>Nutzung — llm-gateway</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Today</source>
        <translation>Heute</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Last 7 days</source>
        <translation>Letzte 7 Tage</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Last 30 days</source>
        <translation>Letzte 30 Tage</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Custom range</source>
        <translation>Eigener Zeitraum</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Refresh</source>
        <translation>Aktualisieren</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Export CSV…</source>
        <translation>CSV exportieren…</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>&lt;b&gt;Cost per day&lt;/b&gt;, by provider</source>
        <translation>&lt;b&gt;Kosten pro Tag&lt;/b&gt;, nach Anbieter</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>By provider</source>
        <translation>Nach Anbieter</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>By model</source>
        <translation>Nach Modell</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>&lt;b&gt;Budgets&lt;/b&gt; — at 80 % you get a notification; a budget that refuses requests answers them with 429 until its period ends</source>
        <translation>&lt;b&gt;Budgets&lt;/b&gt; — bei 80 % erhalten Sie eine Benachrichtigung; ein Budget, das Anfragen ablehnt, beantwortet sie bis zum Ende seines Zeitraums mit 429</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>Add budget</source>
        <translation>Budget hinzufügen</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Remove</source>
        <translation>Entfernen</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Save budgets</source>
        <translation>Budgets speichern</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>Name</source>
        <translation>Name</translation>
    </message>
    <message>
        <location line="+0"/>
        <source>Requests</source>
        <translation>Anfragen</translation>
    </message>
    <message>
        <location line="+0"/>
        <source>Input tokens</source>
        <translation>Eingabe-Tokens</translation>
    </message>
    <message>
        <location line="+0"/>
        <source>Output tokens</source>
        <translation>Ausgabe-Tokens</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Cached tokens</source>
        <translation>Gecachte Tokens</translation>
    </message>
    <message>
        <location line="+0"/>
        <source>Cost</source>
        <translation>Kosten</translation>
    </message>
    <message>
        <location line="+0"/>
        <source>Saved by caching</source>
        <translation>Durch Caching gespart</translation>
    </message>
    <message>
        <location line="+5"/>
        <location line="+4"/>
        <source>Provider</source>
        <translation>Anbieter</translation>
    </message>
    <message>
        <location line="-3"/>
        <source>Model</source>
        <translation>Modell</translation>
    </message>
    <message>
        <location line="+3"/>
        <source>Period</source>
        <translation>Zeitraum</translation>
    </message>
    <message>
        <location line="+0"/>
        <source>Limit</source>
        <translation>Limit</translation>
    </message>
    <message>
        <location line="+0"/>
        <source>Hard</source>
        <translation>Hart</translation>
    </message>
    <message>
        <location line="+0"/>
        <source>Used this period</source>
        <translation>In diesem Zeitraum verbraucht</translation>
    </message>
</context>
<context>
    <name>gw::WelcomePage</name>
    <message>
        <location filename="../ui/welcomepage.cpp" line="+30"/>
        <source>Ollama on this computer</source>
        <translation>Ollama auf diesem Computer</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>Ollama on another machine</source>
        <translation>Ollama auf einem anderen Rechner</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>Another OpenAI-compatible server (its URL)</source>
        <translation>Ein anderer OpenAI-kompatibler Server (seine URL)</translation>
    </message>
    <message>
        <location line="+51"/>
        <source>Welcome to llm-gateway</source>
        <translation>Willkommen bei llm-gateway</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>Your IDE and tools talk to llm-gateway as if it were Ollama; it passes their requests on to the service you choose. Which one do you have a key for?</source>
        <translation>Ihre IDE und Werkzeuge sprechen mit llm-gateway, als wäre es Ollama; es reicht ihre Anfragen an den Dienst weiter, den Sie wählen. Für welchen haben Sie einen Schlüssel?</translation>
    </message>
    <message>
        <location line="+17"/>
        <source>Address:</source>
        <translation>Adresse:</translation>
    </message>
    <message>
        <location line="+4"/>
        <source>paste your API key; it is kept only in the OS keychain</source>
        <translation>API-Schlüssel einfügen; er wird nur im Schlüsselbund des Systems gespeichert</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>API key:</source>
        <translation>API-Schlüssel:</translation>
    </message>
    <message>
        <location line="+7"/>
        <source>Connect</source>
        <translation>Verbinden</translation>
    </message>
    <message>
        <location line="+15"/>
        <source>Pick your models</source>
        <translation>Modelle auswählen</translation>
    </message>
    <message>
        <location line="+5"/>
        <source>filter</source>
        <translation>Filter</translation>
    </message>
    <message>
        <location line="+8"/>
        <source>a model id, e.g. gpt-4.1</source>
        <translation>eine Modell-ID, z. B. gpt-4.1</translation>
    </message>
    <message>
        <location line="+5"/>
        <source>Skip</source>
        <translation>Überspringen</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>Set up providers and models later in the other tabs</source>
        <translation>Anbieter und Modelle später in den anderen Reitern einrichten</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Back</source>
        <translation>Zurück</translation>
    </message>
    <message>
        <location line="+2"/>
        <location line="+19"/>
        <location line="+92"/>
        <location line="+85"/>
        <source>Next</source>
        <translation>Weiter</translation>
    </message>
    <message>
        <location line="-122"/>
        <source>%1 — a key was found (%2)</source>
        <translation>%1 — ein Schlüssel wurde gefunden (%2)</translation>
    </message>
    <message numerus="yes">
        <location line="+13"/>
        <source>Map %n model(s)</source>
        <translation>
            <numerusform>%n Modell übernehmen</numerusform>
            <numerusform>%n Modelle übernehmen</numerusform>
        </translation>
    </message>
    <message>
        <location line="+0"/>
        <location line="+170"/>
        <source>Finish</source>
        <translation>Fertig</translation>
    </message>
    <message>
        <location line="-98"/>
        <source>Connect to %1</source>
        <translation>Mit %1 verbinden</translation>
    </message>
    <message>
        <location line="+22"/>
        <source>A key for %1 was found (%2): it is used unless you paste another one.</source>
        <translation>Ein Schlüssel für %1 wurde gefunden (%2): er wird verwendet, außer Sie fügen einen anderen ein.</translation>
    </message>
    <message>
        <location line="+4"/>
        <source>The key is stored only in your system&apos;s keychain, never in a file.</source>
        <translation>Der Schlüssel wird nur im Schlüsselbund Ihres Systems gespeichert, nie in einer Datei.</translation>
    </message>
    <message>
        <location line="+3"/>
        <source>A server on this computer or your network usually needs no key.</source>
        <translation>Ein Server auf diesem Computer oder in Ihrem Netzwerk braucht meist keinen Schlüssel.</translation>
    </message>
    <message>
        <location line="+3"/>
        <source>Ollama and llm-gateway both take port 11434 by default: run one of them on another port (for Ollama: OLLAMA_HOST=127.0.0.1:11435 ollama serve) and enter Ollama&apos;s address here.</source>
        <translation>Ollama und llm-gateway belegen standardmäßig beide Port 11434: Lassen Sie eines davon auf einem anderen Port laufen (für Ollama: OLLAMA_HOST=127.0.0.1:11435 ollama serve) und geben Sie hier die Adresse von Ollama ein.</translation>
    </message>
    <message>
        <location line="+17"/>
        <source>Enter the server&apos;s address first.</source>
        <translation>Geben Sie zuerst die Adresse des Servers ein.</translation>
    </message>
    <message>
        <location line="+4"/>
        <source>Connecting…</source>
        <translation>Verbinde…</translation>
    </message>
    <message>
        <location line="+40"/>
        <source>Tick the models you want in your tools. They keep the vendor&apos;s names (Copilot picks its prompts by them).</source>
        <translation>Haken Sie die Modelle an, die Sie in Ihren Werkzeugen wollen. Sie behalten die Namen des Anbieters (Copilot wählt seine Prompts danach).</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>This service does not list its models: enter the id of one you want.</source>
        <translation>Dieser Dienst listet seine Modelle nicht auf: Geben Sie die ID eines gewünschten Modells ein.</translation>
    </message>
</context>
</TS>

#pragma once

#include <QString>

// "Start at login" for the tray app, the way each desktop expects it:
// Linux: an XDG autostart entry, $XDG_CONFIG_HOME/autostart/llm-gateway.desktop;
// macOS: a LaunchAgent, ~/Library/LaunchAgents/<id>.plist;
// Windows: a value under HKCU\Software\Microsoft\Windows\CurrentVersion\Run.
// The entry starts the executable that is running now.
namespace gw::autostart {

bool isEnabled();
bool setEnabled(bool enabled, QString *error);
// Where the entry lives (a file path, or the registry key on Windows).
QString entryPath();

} // namespace gw::autostart

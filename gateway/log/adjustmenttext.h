#pragma once

#include "chat/adjustment.h"

#include <QString>

namespace gw {

// An adjustment in English, for the serve line and the log file ("top_p left out: the model
// takes temperature or top_p, not both; temperature wins"). The log window words it in the
// user's language (DesktopWords::adjustment).
QString adjustmentText(const Adjustment &adjustment);

} // namespace gw

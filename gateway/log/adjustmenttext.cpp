#include "adjustmenttext.h"

namespace gw {

QString adjustmentText(const Adjustment &a)
{
    using R = Adjustment::Rule;
    QString why;
    switch (a.rule) {
    case R::OneOfTemperatureTopP:
        why = QStringLiteral("the model takes temperature or top_p, not both; temperature wins");
        break;
    case R::ReasoningModel:
        why = QStringLiteral("reasoning models refuse it");
        break;
    case R::ThinkingOn:
        why = QStringLiteral("the model refuses it while thinking");
        break;
    case R::NoSampling:
        why = QStringLiteral("the provider is set to send no sampling fields");
        break;
    case R::OutOfRange:
        why = QStringLiteral("outside the provider's range");
        break;
    case R::ThinkingLevel:
        why = QStringLiteral("the model has no such setting");
        break;
    }
    if (a.sent.isEmpty())
        return QStringLiteral("%1 left out: %2").arg(a.field, why);
    if (a.asked.isEmpty())
        return QStringLiteral("%1 sent as %2: %3").arg(a.field, a.sent, why);
    return QStringLiteral("%1 %2 sent as %3: %4").arg(a.field, a.asked, a.sent, why);
}

} // namespace gw

#pragma once

#include <QList>
#include <QString>

namespace gw {

// A change a provider made to a request so that the model accepts it: one of the provider's
// rules a client should never run into (temperature and top_p together on newer Claude models,
// sampling on reasoning models, a thinking level the model does not have). Facts for the request
// log, which words them (the serve line and the log file in English, the log window translated).
struct Adjustment
{
    enum class Rule {
        OneOfTemperatureTopP, // the model takes temperature or top_p, not both: temperature wins
        ReasoningModel,       // a reasoning model refuses the field
        ThinkingOn,           // with thinking on, the model refuses the field
        NoSampling,           // the provider is set to send no sampling fields (send_sampling)
        OutOfRange,           // the value is outside the provider's range: `sent` went instead
        ThinkingLevel,        // the model has no such thinking setting: `sent` went instead
    };

    Rule rule = Rule::ReasoningModel;
    QString field; // as the provider names it: "top_p", "temperature", "thinkingLevel" …
    QString asked; // what the client asked for, where it says more than the field
    QString sent;  // what went instead; empty when the field was left out

    static Adjustment dropped(Rule rule, QString field) { return {rule, std::move(field), {}, {}}; }
    static Adjustment changed(Rule rule, QString field, QString asked, QString sent)
    {
        return {rule, std::move(field), std::move(asked), std::move(sent)};
    }
    bool operator==(const Adjustment &) const = default;
};

using Adjustments = QList<Adjustment>;

} // namespace gw

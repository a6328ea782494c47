#pragma once

#include "httprequest.h"

#include <QByteArrayList>
#include <QString>

#include <functional>

namespace gw {

class Responder;

// One entry of a dialect's route table. A path ending in '/' with `prefix` set matches every
// path below it (e.g. "/v1/models/").
struct Route
{
    QByteArrayList methods;
    QString path;
    bool prefix = false;
    std::function<void(const HttpRequest &, Responder *)> handler;
};

} // namespace gw

// libFuzzer target: telling the client app from a User-Agent header (untrusted, any bytes). It
// must not crash, must read only the header's start, and its answer must have an id that reads
// back to the same app.
#include "fuzzsupport.h"

#include "log/clientapp.h"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t *data, std::size_t size)
{
    const QByteArray ua = fuzz::bytes(data, size);
    const gw::ClientApp app = gw::clientAppFromUserAgent(ua);
    if (app != gw::ClientApp::Unknown && gw::clientAppFromId(QString(gw::clientAppId(app))) != app)
        fuzz::fail("an app's id does not read back to it");
    // Only the first 256 bytes count: what follows cannot change the answer.
    if (ua.size() > 256 && gw::clientAppFromUserAgent(ua.left(256)) != app)
        fuzz::fail("bytes past the first 256 changed the answer");
    return 0;
}

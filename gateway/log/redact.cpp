#include "redact.h"

#include <QByteArrayView>
#include <QStringView>

// A hand-written scanner instead of nine QRegularExpressions: redaction runs on both bodies and
// the error of every request record, and the expressions cost ~100 K instructions a request
// even when nothing matched. The passes below give the same text the expressions gave (tst_redact
// compares them on generated input and fuzz_redact on any input), including their quirks: the
// case-insensitive ones are PCRE2 in UTF mode without UCP, so \b and \s are ASCII, and a caseless
// 'k' also matches U+212A (KELVIN SIGN) and a caseless 's' U+017F (LATIN SMALL LETTER LONG S).
// The expressions, applied in this order, each to the previous one's output, each replacing
// every match with its group 1 and "[redacted]":
//   1 (?i)(authorization"?\s*[:=]\s*"?(?:bearer|basic)?\s*)[^\s",}]+
//   2 (?i)(bearer\s+)[A-Za-z0-9._~+/=-]{6,}
//   3 (?i)((?:x-api-key|x-goog-api-key|api-key)"?\s*[:=]\s*"?)[^\s",}]+
//   4 (?i)([?&](?:key|api_key|apikey|access_token)=)[^&\s"]+
//   5 \b(sk-(?:ant-|proj-)?)[A-Za-z0-9_*-]{8,}
//   6 \b(hf_)[A-Za-z0-9]{8,}
//   7 \b(AIza)[0-9A-Za-z_-]{20,}
//   8 \b(gsk_)[A-Za-z0-9]{8,}
//   9 \b([A-Za-z][A-Za-z0-9+.-]*://[^:/@\s"]+:)[^@\s"/]+(?=@)
// Every one of them is deterministic once its alternatives are tried in order (the classes that
// repeat exclude what must follow them), so each pass tries a match at every position, left to
// right, and continues after a match.

namespace gw {

namespace {

constexpr char16_t kKelvin = 0x212A;
constexpr char16_t kLongS = 0x017F;

bool isSpace(char16_t c)
{
    return c == ' ' || (c >= 9 && c <= 13);
}
bool isAlnum(char16_t c)
{
    return (c >= '0' && c <= '9') || (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z');
}
bool isWord(char16_t c)
{
    return isAlnum(c) || c == '_';
}

class Scan
{
public:
    explicit Scan(QStringView s) : m_s(s.utf16()), m_n(s.size()) {}

    char16_t at(qsizetype i) const { return i < m_n ? m_s[i] : char16_t(0); }
    bool has(qsizetype i) const { return i < m_n; }

    // A literal, case-sensitive: the end, or -1.
    qsizetype lit(qsizetype i, const char *l) const
    {
        for (; *l; ++l, ++i)
            if (i >= m_n || m_s[i] != char16_t(uchar(*l)))
                return -1;
        return i;
    }
    // A literal of lower-case ASCII, case-insensitive as PCRE2 in UTF mode has it.
    qsizetype ci(qsizetype i, const char *l) const
    {
        for (; *l; ++l, ++i) {
            if (i >= m_n)
                return -1;
            const char16_t c = m_s[i];
            const char16_t w = char16_t(uchar(*l));
            if (c == w)
                continue;
            if (w >= 'a' && w <= 'z') {
                if (c == w - 0x20 || (w == 'k' && c == kKelvin) || (w == 's' && c == kLongS))
                    continue;
            }
            return -1;
        }
        return i;
    }
    qsizetype spaces(qsizetype i) const
    {
        while (i < m_n && isSpace(m_s[i]))
            ++i;
        return i;
    }
    template <typename Pred> qsizetype run(qsizetype i, Pred in) const
    {
        while (i < m_n && in(m_s[i]))
            ++i;
        return i;
    }
    bool boundaryBefore(qsizetype i) const { return i == 0 || !isWord(m_s[i - 1]); }

private:
    const char16_t *m_s;
    qsizetype m_n;
};

struct Match
{
    qsizetype keepEnd = -1; // group 1 ends here; "[redacted]" replaces [keepEnd, end)
    qsizetype end = -1;
};

bool valueChar(char16_t c) // [^\s",}]
{
    return !isSpace(c) && c != '"' && c != ',' && c != '}';
}

// `"?\s*[:=]\s*"?` from i: where the value may start, or -1.
qsizetype separator(const Scan &s, qsizetype i)
{
    if (s.at(i) == '"')
        ++i;
    i = s.spaces(i);
    if (s.at(i) != ':' && s.at(i) != '=')
        return -1;
    i = s.spaces(i + 1);
    if (s.at(i) == '"')
        ++i;
    return i;
}

Match authorization(const Scan &s, qsizetype p)
{
    qsizetype r = s.ci(p, "authorization");
    if (r < 0 || (r = separator(s, r)) < 0)
        return {};
    qsizetype w = s.ci(r, "bearer");
    if (w < 0)
        w = s.ci(r, "basic");
    if (w >= 0) {
        const qsizetype u = s.spaces(w);
        if (s.has(u) && valueChar(s.at(u)))
            return {u, s.run(u, valueChar)};
    }
    const qsizetype u = s.spaces(r);
    if (s.has(u) && valueChar(s.at(u)))
        return {u, s.run(u, valueChar)};
    return {};
}

Match bearer(const Scan &s, qsizetype p)
{
    const qsizetype w = s.ci(p, "bearer");
    if (w < 0 || !isSpace(s.at(w)))
        return {};
    const qsizetype u = s.spaces(w);
    const qsizetype e = s.run(u, [](char16_t c) {
        return isAlnum(c) || c == '.' || c == '_' || c == '~' || c == '+' || c == '/' || c == '=' ||
               c == '-' || c == kKelvin || c == kLongS;
    });
    if (e - u < 6)
        return {};
    return {u, e};
}

Match apiKeyHeader(const Scan &s, qsizetype p)
{
    qsizetype r = s.ci(p, "x-api-key");
    if (r < 0)
        r = s.ci(p, "x-goog-api-key");
    if (r < 0)
        r = s.ci(p, "api-key");
    if (r < 0 || (r = separator(s, r)) < 0)
        return {};
    if (!s.has(r) || !valueChar(s.at(r)))
        return {};
    return {r, s.run(r, valueChar)};
}

Match queryKey(const Scan &s, qsizetype p)
{
    if (s.at(p) != '?' && s.at(p) != '&')
        return {};
    qsizetype r = -1;
    for (const char *name : {"key", "api_key", "apikey", "access_token"})
        if ((r = s.ci(p + 1, name)) >= 0)
            break;
    if (r < 0 || s.at(r) != '=')
        return {};
    ++r;
    const auto in = [](char16_t c) { return !isSpace(c) && c != '&' && c != '"'; };
    if (!s.has(r) || !in(s.at(r)))
        return {};
    return {r, s.run(r, in)};
}

Match openAiKey(const Scan &s, qsizetype p)
{
    if (!s.boundaryBefore(p))
        return {};
    const qsizetype base = s.lit(p, "sk-");
    if (base < 0)
        return {};
    const qsizetype e = s.run(base, [](char16_t c) { return isWord(c) || c == '*' || c == '-'; });
    for (const char *infix : {"ant-", "proj-"}) {
        const qsizetype k = s.lit(base, infix);
        if (k >= 0 && e - k >= 8)
            return {k, e};
    }
    if (e - base >= 8)
        return {base, e};
    return {};
}

template <typename Pred>
Match prefixed(const Scan &s, qsizetype p, const char *prefix, qsizetype min, Pred in)
{
    if (!s.boundaryBefore(p))
        return {};
    const qsizetype base = s.lit(p, prefix);
    if (base < 0)
        return {};
    const qsizetype e = s.run(base, in);
    if (e - base < min)
        return {};
    return {base, e};
}

Match hfKey(const Scan &s, qsizetype p)
{
    return prefixed(s, p, "hf_", 8, isAlnum);
}
Match googleKey(const Scan &s, qsizetype p)
{
    return prefixed(s, p, "AIza", 20, [](char16_t c) { return isWord(c) || c == '-'; });
}
Match groqKey(const Scan &s, qsizetype p)
{
    return prefixed(s, p, "gsk_", 8, isAlnum);
}

Match urlPassword(const Scan &s, qsizetype p)
{
    const char16_t first = s.at(p);
    if (!((first >= 'A' && first <= 'Z') || (first >= 'a' && first <= 'z')) || !s.boundaryBefore(p))
        return {};
    qsizetype i =
        s.run(p + 1, [](char16_t c) { return isAlnum(c) || c == '+' || c == '.' || c == '-'; });
    if ((i = s.lit(i, "://")) < 0)
        return {};
    const qsizetype u = s.run(
        i, [](char16_t c) { return c != ':' && c != '/' && c != '@' && !isSpace(c) && c != '"'; });
    if (u == i || s.at(u) != ':')
        return {};
    const qsizetype e =
        s.run(u + 1, [](char16_t c) { return c != '@' && !isSpace(c) && c != '"' && c != '/'; });
    if (e == u + 1 || s.at(e) != '@')
        return {};
    return {u + 1, e};
}

using Matcher = Match (*)(const Scan &, qsizetype);

// One pass: every match replaced, left to right. False when there was none (out untouched).
bool pass(QStringView in, Matcher match, QString &out)
{
    const Scan s(in);
    qsizetype copied = 0;
    bool any = false;
    for (qsizetype p = 0; p < in.size();) {
        const Match m = match(s, p);
        if (m.end < 0) {
            ++p;
            continue;
        }
        if (!any) {
            out.clear();
            out.reserve(in.size() + 16);
            any = true;
        }
        out.append(in.mid(copied, m.keepEnd - copied));
        out.append(QLatin1StringView("[redacted]"));
        copied = p = m.end;
    }
    if (any)
        out.append(in.mid(copied));
    return any;
}

// A necessary condition for any of the nine: one of their fixed parts occurs (case-insensitive
// where the expression is; the parts chosen have no 'k' or 's' that U+212A or U+017F could
// stand for). When none does, the text is its own redaction. Works on UTF-16 and on UTF-8.
template <typename Char> bool mayHoldKey(const Char *s, qsizetype n)
{
    const auto ci = [&](qsizetype i, const char *l) {
        for (; *l; ++l, ++i)
            if (i >= n || (uint(s[i]) | (*l >= 'a' ? 0x20u : 0u)) != uint(uchar(*l)))
                return false;
        return true;
    };
    const auto lit = [&](qsizetype i, const char *l) {
        for (; *l; ++l, ++i)
            if (i >= n || uint(s[i]) != uint(uchar(*l)))
                return false;
        return true;
    };
    for (qsizetype i = 0; i < n; ++i) {
        switch (uint(s[i])) {
        case 'A':
            if (lit(i, "AIza"))
                return true;
            [[fallthrough]];
        case 'a':
            if (ci(i, "authorization") || ci(i, "api-"))
                return true;
            break;
        case 'b':
        case 'B':
            if (ci(i, "bearer"))
                return true;
            break;
        case '?':
        case '&': {
            // key, api_key, apikey, access_token: a k (or U+212A, past ASCII) or an a follows
            const uint c = i + 1 < n ? uint(s[i + 1]) : 0u;
            if ((c | 0x20) == 'k' || (c | 0x20) == 'a' || c >= 0x80)
                return true;
            break;
        }
        case 's':
            if (lit(i, "sk-"))
                return true;
            break;
        case 'h':
            if (lit(i, "hf_"))
                return true;
            break;
        case 'g':
            if (lit(i, "gsk_"))
                return true;
            break;
        case ':':
            if (lit(i, "://"))
                return true;
            break;
        default:
            break;
        }
    }
    return false;
}

QString redactAll(QString text)
{
    static constexpr Matcher passes[] = {authorization, bearer,    apiKeyHeader,
                                         queryKey,      openAiKey, hfKey,
                                         googleKey,     groqKey,   urlPassword};
    QString out;
    for (Matcher m : passes)
        if (pass(text, m, out))
            text.swap(out);
    return text;
}

} // namespace

QString redact(QString text)
{
    if (!mayHoldKey(text.utf16(), text.size()))
        return text;
    return redactAll(std::move(text));
}

QByteArray redact(const QByteArray &text)
{
    // Valid UTF-8 without any fixed part of a key comes back as it is; anything else goes the
    // way it always went, through UTF-16 (which also replaces invalid sequences).
    if (!mayHoldKey(text.constData(), text.size()) && QByteArrayView(text).isValidUtf8())
        return text;
    return redactAll(QString::fromUtf8(text)).toUtf8();
}

} // namespace gw

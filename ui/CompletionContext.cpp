#include "CompletionContext.h"

#include <QStringList>
#include <vector>

namespace rootline {
namespace {

bool isWordChar(QChar c) {
    return c.isLetterOrNumber() || c == QLatin1Char('_') || c == QLatin1Char(':');
}

// The identifier that ends right before `pos`, spaces skipped ("sum by (" → "by").
QString wordBefore(const QString& text, int pos) {
    int end = pos;
    while (end > 0 && text[end - 1].isSpace())
        --end;
    int start = end;
    while (start > 0 && isWordChar(text[start - 1]))
        --start;
    return text.mid(start, end - start);
}

// The last non-space character before `pos`, or a null QChar.
QChar charBefore(const QString& text, int pos) {
    while (pos > 0 && text[pos - 1].isSpace())
        --pos;
    return pos > 0 ? text[pos - 1] : QChar();
}

bool isLabelListKeyword(const QString& word) {
    static const QStringList keywords = {
        QStringLiteral("by"),       QStringLiteral("without"),    QStringLiteral("on"),
        QStringLiteral("ignoring"), QStringLiteral("group_left"), QStringLiteral("group_right")};
    return keywords.contains(word, Qt::CaseInsensitive);
}

} // namespace

CompletionContext selectorCompletionContext(const QString& text, int cursor) {
    CompletionContext ctx;
    cursor = qBound(0, cursor, int(text.size()));
    QChar quote;          // inside a string when not null
    int stringStart = -1; // the opening quote
    bool inBraces = false;
    int bracketDepth = 0;
    QString braceMetric, matcherLabel;
    std::vector<bool> parens; // true: a label list (by (…), on (…), …)

    for (int i = 0; i < cursor; ++i) {
        const QChar c = text[i];
        if (!quote.isNull()) {
            if (c == QLatin1Char('\\') && quote != QLatin1Char('`'))
                ++i; // an escaped character, whatever it is
            else if (c == quote)
                quote = QChar();
            continue;
        }
        switch (c.unicode()) {
        case '"':
        case '\'':
        case '`':
            quote = c;
            stringStart = i;
            break;
        case '{':
            inBraces = true;
            braceMetric = wordBefore(text, i);
            matcherLabel.clear();
            break;
        case '}':
            inBraces = false;
            matcherLabel.clear();
            break;
        case '[':
            ++bracketDepth;
            break;
        case ']':
            bracketDepth = qMax(0, bracketDepth - 1);
            break;
        case '(':
            parens.push_back(isLabelListKeyword(wordBefore(text, i)));
            break;
        case ')':
            if (!parens.empty())
                parens.pop_back();
            break;
        case ',':
            if (inBraces)
                matcherLabel.clear();
            break;
        case '=':
        case '!':
        case '~':
            if (inBraces && matcherLabel.isEmpty())
                matcherLabel = wordBefore(text, i);
            break;
        default:
            break;
        }
    }

    if (!quote.isNull()) {
        // A label value: the string of a matcher inside braces.
        if (!inBraces || matcherLabel.isEmpty())
            return ctx;
        ctx.what = CompletionContext::What::LabelValue;
        ctx.label = matcherLabel;
        ctx.metric = braceMetric;
        ctx.quote = quote;
        ctx.replaceStart = stringStart + 1;
        ctx.prefix = text.mid(ctx.replaceStart, cursor - ctx.replaceStart);
        int end = cursor;
        while (end < text.size() && text[end] != quote) {
            if (text[end] == QLatin1Char('\\') && quote != QLatin1Char('`'))
                ++end;
            ++end;
        }
        ctx.replaceEnd = qMin(end, int(text.size()));
        return ctx;
    }
    if (bracketDepth > 0)
        return ctx; // a range or subquery duration: nothing to complete

    int start = cursor;
    while (start > 0 && isWordChar(text[start - 1]))
        --start;
    int end = cursor;
    while (end < text.size() && isWordChar(text[end]))
        ++end;
    ctx.replaceStart = start;
    ctx.replaceEnd = end;
    ctx.prefix = text.mid(start, cursor - start);
    if (!ctx.prefix.isEmpty() && ctx.prefix[0].isDigit())
        return ctx; // a number
    const QChar before = charBefore(text, start);
    if (inBraces) {
        if (before == QLatin1Char('{') || before == QLatin1Char(',')) {
            ctx.what = CompletionContext::What::LabelName;
            ctx.inSelector = true;
        }
        ctx.metric = braceMetric;
        return ctx;
    }
    if (!parens.empty() && parens.back()) {
        ctx.what = CompletionContext::What::LabelName;
        return ctx;
    }
    // After a LogQL pipe or filter operator comes a parser or a string, not a metric.
    if (before == QLatin1Char('|') || before == QLatin1Char('=') || before == QLatin1Char('~'))
        return ctx;
    ctx.what = CompletionContext::What::MetricName;
    return ctx;
}

CompletionContext searchCompletionContext(const QString& text, int cursor) {
    CompletionContext ctx;
    cursor = qBound(0, cursor, int(text.size()));
    // Split into terms (whitespace outside quotes), noting the one the cursor is in.
    int termStart = 0;
    bool inQuote = false;
    bool inTerm = false;
    struct Term {
        int start, end;
    };
    std::vector<Term> terms;
    for (int i = 0; i <= text.size(); ++i) {
        const bool atEnd = i == text.size();
        const QChar c = atEnd ? QChar() : text[i];
        if (!atEnd && c == QLatin1Char('"'))
            inQuote = !inQuote;
        const bool separator = atEnd || (!inQuote && c.isSpace());
        if (separator) {
            if (inTerm)
                terms.push_back({termStart, i});
            inTerm = false;
        } else if (!inTerm) {
            inTerm = true;
            termStart = i;
        }
    }
    Term current{cursor, cursor};
    for (const Term& t : terms) {
        const QString term = text.mid(t.start, t.end - t.start);
        if (term.startsWith(QLatin1String("service="))) {
            QString value = term.mid(8);
            if (value.size() >= 2 && value.startsWith(QLatin1Char('"')) &&
                value.endsWith(QLatin1Char('"')))
                value = value.mid(1, value.size() - 2);
            if (!(t.start <= cursor && cursor <= t.end))
                ctx.service = value;
        }
        if (t.start <= cursor && cursor <= t.end)
            current = t;
    }
    const QString typed = text.mid(current.start, cursor - current.start);
    const int eq = typed.indexOf(QLatin1Char('='));
    if (eq < 0) {
        ctx.what = CompletionContext::What::SearchKey;
        ctx.prefix = typed;
        ctx.replaceStart = current.start;
        ctx.replaceEnd = current.end;
        // The key ends at '=' when the cursor is inside a complete term.
        const int termEq =
            text.mid(current.start, current.end - current.start).indexOf(QLatin1Char('='));
        if (termEq >= 0)
            ctx.replaceEnd = current.start + termEq;
        return ctx;
    }
    ctx.what = CompletionContext::What::SearchValue;
    ctx.label = typed.left(eq);
    ctx.replaceStart = current.start + eq + 1;
    ctx.replaceEnd = current.end;
    QString value = typed.mid(eq + 1);
    if (value.startsWith(QLatin1Char('"')))
        value.remove(0, 1);
    ctx.prefix = value;
    return ctx;
}

CompletionEdit applyCompletion(const QString& text, const CompletionContext& ctx,
                               const QString& choice) {
    using What = CompletionContext::What;
    QString insert = choice;
    int end = ctx.replaceEnd;
    switch (ctx.what) {
    case What::None:
        return {text, ctx.replaceEnd};
    case What::MetricName:
        break;
    case What::LabelName: {
        // In a selector, `name="` so that the values come next, unless an operator follows already.
        int next = end;
        while (next < text.size() && text[next].isSpace())
            ++next;
        const bool hasOperator = next < text.size() &&
                                 (text[next] == QLatin1Char('=') || text[next] == QLatin1Char('!'));
        if (ctx.inSelector && !hasOperator)
            insert += QStringLiteral("=\"");
        break;
    }
    case What::LabelValue: {
        const QChar q = ctx.quote.isNull() ? QLatin1Char('"') : ctx.quote;
        if (q != QLatin1Char('`')) {
            insert.replace(QLatin1Char('\\'), QStringLiteral("\\\\"));
            insert.replace(q, QString(QLatin1Char('\\')) + q);
        }
        if (end < text.size() && text[end] == q)
            ++end; // keep the closing quote, step over it
        insert += q;
        break;
    }
    case What::SearchKey:
        insert += QLatin1Char('=');
        if (end < text.size() && text[end] == QLatin1Char('='))
            ++end;
        break;
    case What::SearchValue:
        if (insert.contains(QLatin1Char(' ')) || insert.contains(QLatin1Char('"')) ||
            insert.isEmpty())
            insert = QLatin1Char('"') +
                     QString(insert).replace(QLatin1Char('"'), QStringLiteral("\\\"")) +
                     QLatin1Char('"');
        break;
    }
    QString out = text.left(ctx.replaceStart) + insert + text.mid(end);
    return {out, int(ctx.replaceStart + insert.size())};
}

} // namespace rootline

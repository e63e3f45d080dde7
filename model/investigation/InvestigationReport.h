#pragma once

// The investigation as a postmortem draft an SRE would keep: summary (what happened, the most
// likely cause, impact), a UTC timeline, the ranked candidates with the evidence that opens
// them, each step with what was looked at, pinned and noted, reproduction facts, and a follow-up
// section left to fill in. Markdown, and the same document as standalone HTML. Every time is UTC
// and the report says so.

#include "InvestigationState.h"
#include "core/Clock.h"

#include <string>

namespace rootline {

std::string investigationMarkdown(const InvestigationState& state, Timestamp generatedAt = Clock::current().now());
std::string investigationHtml(const InvestigationState& state, Timestamp generatedAt = Clock::current().now());

// The small Markdown subset the report uses (headings, lists, tables, paragraphs, `code`,
// **bold**, _italic_) as HTML body content, escaped.
std::string markdownToHtml(const std::string& markdown);

} // namespace rootline

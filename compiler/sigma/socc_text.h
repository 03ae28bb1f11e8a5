#pragma once

// Spelling values and names in socc source: the Sigma front end writes
// socc text, which the ordinary parser then reads.

#include <string>
#include <string_view>

namespace socc::sigma {

// A string literal for `text`: raw ('...', quotes doubled) when every byte
// is printable, else "..." with escapes.
std::string quote(std::string_view text);

// `text` as an identifier: characters outside [A-Za-z0-9_] become `_`, a
// leading digit gets a `_` before it, and a keyword of the language gets a
// `_` after it.
std::string identifier(std::string_view text);

bool is_keyword(std::string_view word);

// `text` with ASCII letters in lower case: Sigma's keys, modifiers and
// condition keywords compare this way.
std::string ascii_lower(std::string text);

}  // namespace socc::sigma

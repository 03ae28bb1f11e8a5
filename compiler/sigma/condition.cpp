#include "compiler/sigma/condition.h"

#include <fmt/format.h>

#include <algorithm>
#include <cctype>
#include <cstdlib>

#include "compiler/sigma/socc_text.h"

namespace socc::sigma {
namespace {

struct Token {
  enum class Kind { Word, Number, LParen, RParen, Pipe, Compare, Comma, End } kind;
  std::string text;
  uint32_t offset = 0;
};

bool word_char(char c) {
  return std::isalnum(static_cast<unsigned char>(c)) || c == '_' || c == '*' || c == '-' ||
         c == '.' || c == '?';
}

class Parser {
 public:
  Parser(const std::string& text, int max_depth) : text_(text), max_depth_(max_depth) {}

  std::optional<ParsedCondition> parse(ConditionError* error) {
    if (!tokenize()) return report(error);
    ParsedCondition parsed;
    auto condition = parse_or(0);
    if (!condition) return report(error);
    parsed.condition = std::move(*condition);
    if (peek().kind == Token::Kind::Pipe) {
      ++pos_;
      auto aggregation = parse_aggregation();
      if (!aggregation) return report(error);
      parsed.aggregation = std::move(*aggregation);
    }
    if (peek().kind != Token::Kind::End) {
      fail(peek(), fmt::format("unexpected '{}' after the condition", peek().text));
      return report(error);
    }
    return parsed;
  }

 private:
  std::nullopt_t report(ConditionError* error) {
    if (error) *error = error_;
    return std::nullopt;
  }

  std::nullopt_t fail(const Token& at, std::string message) {
    if (error_.message.empty()) error_ = {at.offset, std::move(message)};
    return std::nullopt;
  }

  bool tokenize() {
    size_t i = 0;
    while (i < text_.size()) {
      char c = text_[i];
      uint32_t at = static_cast<uint32_t>(i);
      if (std::isspace(static_cast<unsigned char>(c))) {
        ++i;
      } else if (c == '(' || c == ')' || c == '|' || c == ',') {
        Token::Kind kind = c == '('   ? Token::Kind::LParen
                           : c == ')' ? Token::Kind::RParen
                           : c == '|' ? Token::Kind::Pipe
                                      : Token::Kind::Comma;
        tokens_.push_back({kind, std::string(1, c), at});
        ++i;
      } else if (c == '<' || c == '>' || c == '=' || c == '!') {
        size_t end = i + 1;
        if (end < text_.size() && text_[end] == '=') ++end;
        tokens_.push_back({Token::Kind::Compare, text_.substr(i, end - i), at});
        i = end;
      } else if (word_char(c)) {
        size_t end = i;
        while (end < text_.size() && word_char(text_[end])) ++end;
        std::string word = text_.substr(i, end - i);
        bool number = std::all_of(word.begin(), word.end(), [](char d) {
          return std::isdigit(static_cast<unsigned char>(d)) || d == '.';
        });
        tokens_.push_back({number ? Token::Kind::Number : Token::Kind::Word, word, at});
        i = end;
      } else {
        error_ = {at, fmt::format("unexpected character '{}' in the condition", c)};
        return false;
      }
    }
    tokens_.push_back({Token::Kind::End, "end of the condition", static_cast<uint32_t>(i)});
    return true;
  }

  const Token& peek() const { return tokens_[pos_]; }
  bool keyword(const char* word) const {
    return peek().kind == Token::Kind::Word && ascii_lower(peek().text) == word;
  }

  std::optional<Condition> parse_or(int depth) {
    return parse_chain(depth, "or", Condition::Kind::Or, &Parser::parse_and);
  }

  std::optional<Condition> parse_and(int depth) {
    return parse_chain(depth, "and", Condition::Kind::And, &Parser::parse_not);
  }

  // `operand (word operand)*` as one n-ary node, so long chains stay flat.
  std::optional<Condition> parse_chain(int depth, const char* word, Condition::Kind kind,
                                       std::optional<Condition> (Parser::*operand)(int)) {
    auto first = (this->*operand)(depth);
    if (!first) return std::nullopt;
    if (!keyword(word)) return first;
    Condition node{kind, "", false, {}, first->offset};
    node.kids.push_back(std::move(*first));
    while (keyword(word)) {
      ++pos_;
      auto next = (this->*operand)(depth);
      if (!next) return std::nullopt;
      node.kids.push_back(std::move(*next));
    }
    return node;
  }

  std::optional<Condition> parse_not(int depth) {
    if (depth > max_depth_) {
      return fail(peek(), fmt::format("the condition nests deeper than {} levels", max_depth_));
    }
    if (keyword("not")) {
      Condition node{Condition::Kind::Not, "", false, {}, peek().offset};
      ++pos_;
      auto operand = parse_not(depth + 1);
      if (!operand) return std::nullopt;
      node.kids.push_back(std::move(*operand));
      return node;
    }
    return parse_primary(depth);
  }

  std::optional<Condition> parse_primary(int depth) {
    const Token& token = peek();
    if (token.kind == Token::Kind::LParen) {
      ++pos_;
      auto inner = parse_or(depth + 1);
      if (!inner) return std::nullopt;
      if (peek().kind != Token::Kind::RParen) {
        return fail(peek(), fmt::format("expected ')' to close the '(' at offset {}, found '{}'",
                                        token.offset + 1, peek().text));
      }
      ++pos_;
      return inner;
    }
    bool quantifier = (token.kind == Token::Kind::Number && token.text == "1") ||
                      (token.kind == Token::Kind::Word &&
                       (ascii_lower(token.text) == "all" || ascii_lower(token.text) == "any"));
    if (quantifier && tokens_[pos_ + 1].kind == Token::Kind::Word &&
        ascii_lower(tokens_[pos_ + 1].text) == "of") {
      Condition node{
          ascii_lower(token.text) == "all" ? Condition::Kind::AllOf : Condition::Kind::OneOf,
          "",
          false,
          {},
          token.offset};
      pos_ += 2;
      if (peek().kind != Token::Kind::Word) {
        return fail(peek(), "'of' must be followed by a selection name pattern or 'them'");
      }
      node.them = ascii_lower(peek().text) == "them";
      node.name = node.them ? "*" : peek().text;
      ++pos_;
      return node;
    }
    if (token.kind == Token::Kind::Number && tokens_[pos_ + 1].kind == Token::Kind::Word &&
        ascii_lower(tokens_[pos_ + 1].text) == "of") {
      return fail(token,
                  fmt::format("'{} of' is not Sigma: only '1 of' and 'all of' are", token.text));
    }
    if (token.kind == Token::Kind::Word) {
      std::string word = ascii_lower(token.text);
      if (word == "and" || word == "or" || word == "of" || word == "them") {
        return fail(token, fmt::format("expected a selection name, found '{}'", token.text));
      }
      if (token.text.find_first_of("*?") != std::string::npos) {
        return fail(token, fmt::format("'{}' is a pattern: write '1 of {}' or 'all of {}'",
                                       token.text, token.text, token.text));
      }
      ++pos_;
      return Condition{Condition::Kind::Name, token.text, false, {}, token.offset};
    }
    return fail(token, fmt::format("expected a selection name, found '{}'", token.text));
  }

  // `count(field) by group > 5`, and the other aggregate functions.
  std::optional<Aggregation> parse_aggregation() {
    Aggregation aggregation;
    const Token& function = peek();
    // `| near a and not b`: events matching the expression close in time.
    if (function.kind == Token::Kind::Word && ascii_lower(function.text) == "near") {
      aggregation.function = "near";
      ++pos_;
      if (!parse_or(0)) return std::nullopt;
      return aggregation;
    }
    static const char* const kFunctions[] = {"count", "min", "max", "avg", "sum"};
    std::string name = ascii_lower(function.text);
    if (function.kind != Token::Kind::Word ||
        std::find(std::begin(kFunctions), std::end(kFunctions), name) == std::end(kFunctions)) {
      return fail(function, fmt::format("expected an aggregate function (count, min, max, avg, "
                                        "sum) or 'near' after '|', found '{}'",
                                        function.text));
    }
    aggregation.function = name;
    ++pos_;
    if (peek().kind != Token::Kind::LParen) return fail(peek(), "expected '(' after " + name);
    ++pos_;
    if (peek().kind == Token::Kind::Word) {
      aggregation.field = peek().text;
      ++pos_;
    }
    if (peek().kind != Token::Kind::RParen) return fail(peek(), "expected ')'");
    ++pos_;
    if (aggregation.field.empty() && name != "count") {
      return fail(function, fmt::format("'{}()' needs a field", name));
    }
    if (keyword("by")) {
      ++pos_;
      if (peek().kind != Token::Kind::Word) return fail(peek(), "expected a field after 'by'");
      aggregation.group_by = peek().text;
      ++pos_;
    }
    if (peek().kind != Token::Kind::Compare || peek().text == "!" || peek().text == "=") {
      return fail(peek(), "expected a comparison (<, <=, >, >=, ==) after the aggregate");
    }
    aggregation.op = peek().text;
    ++pos_;
    if (peek().kind != Token::Kind::Number)
      return fail(peek(), "expected a number to compare with");
    aggregation.value = std::strtod(peek().text.c_str(), nullptr);
    ++pos_;
    return aggregation;
  }

  const std::string& text_;
  int max_depth_;
  std::vector<Token> tokens_;
  size_t pos_ = 0;
  ConditionError error_;
};

}  // namespace

std::optional<ParsedCondition> parse_condition(const std::string& text, ConditionError* error,
                                               int max_depth) {
  return Parser(text, max_depth).parse(error);
}

bool name_matches(const std::string& pattern, const std::string& name) {
  // Iterative glob with `*` only, linear in practice for selection names.
  size_t p = 0, n = 0, star = std::string::npos, mark = 0;
  while (n < name.size()) {
    if (p < pattern.size() && pattern[p] == '*') {
      star = p++;
      mark = n;
    } else if (p < pattern.size() && pattern[p] == name[n]) {
      ++p;
      ++n;
    } else if (star != std::string::npos) {
      p = star + 1;
      n = ++mark;
    } else {
      return false;
    }
  }
  while (p < pattern.size() && pattern[p] == '*') ++p;
  return p == pattern.size();
}

}  // namespace socc::sigma

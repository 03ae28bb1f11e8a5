#include "compiler/parse/parse.h"

#include <fmt/format.h>

#include "SoccLexer.h"
#include "SoccParser.h"
#include "antlr4-runtime.h"
#include "compiler/parse/build_ast.h"
#include "compiler/parse/prescan.h"

namespace socc::parse {
namespace {

using diagnostics::DiagnosticSink;
using diagnostics::FileId;
using diagnostics::Kind;
using socc_grammar::SoccLexer;
using socc_grammar::SoccParser;

// Turns ANTLR's syntax errors into diagnostics. Tokens the prescan already
// reported (stray characters, unterminated strings) are not reported again.
class SyntaxErrorListener : public antlr4::BaseErrorListener {
 public:
  SyntaxErrorListener(FileId file_id, const OffsetMap& offsets, DiagnosticSink& sink)
      : file_id_(file_id), offsets_(offsets), sink_(sink) {}

  void syntaxError(antlr4::Recognizer*, antlr4::Token* token, size_t, size_t,
                   const std::string& message, std::exception_ptr) override {
    if (token == nullptr) return;
    if (token->getType() == SoccLexer::STRAY ||
        token->getType() == SoccLexer::UNTERMINATED_STRING ||
        token->getType() == SoccLexer::UNTERMINATED_COMMENT) {
      return;
    }
    uint32_t begin = offsets_.byte_offset(token->getStartIndex());
    uint32_t end = token->getType() == antlr4::Token::EOF
                       ? begin
                       : offsets_.byte_offset(token->getStopIndex() + 1);
    auto& diagnostic = sink_.emit(Kind::SyntaxError, {file_id_, begin, end}, message);
    // Keywords are the tokens whose type comes before the punctuation.
    bool keyword = token->getType() >= SoccLexer::MODULE && token->getType() <= SoccLexer::FALSE;
    if (keyword && message.rfind("mismatched input", 0) == 0 &&
        message.find("IDENT") != std::string::npos) {
      diagnostic.notes.push_back(
          {{},
           false,
           fmt::format("'{}' is a keyword and cannot be used as a name", token->getText())});
    }
  }

 private:
  FileId file_id_;
  const OffsetMap& offsets_;
  DiagnosticSink& sink_;
};

// Reports lexical errors and excessive nesting from the token stream, before
// the recursive-descent parser could overflow its stack on them.
bool check_tokens(const std::vector<antlr4::Token*>& tokens, FileId file_id,
                  const OffsetMap& offsets, const ParseLimits& limits, DiagnosticSink& sink) {
  bool ok = true;
  size_t depth = 0;
  size_t nots = 0;
  for (antlr4::Token* token : tokens) {
    uint32_t begin = offsets.byte_offset(token->getStartIndex());
    uint32_t end = offsets.byte_offset(token->getStopIndex() + 1);
    switch (token->getType()) {
      case SoccLexer::STRAY:
        sink.emit(Kind::StrayCharacter, {file_id, begin, end},
                  fmt::format("unexpected character '{}'", token->getText()));
        ok = false;
        break;
      case SoccLexer::UNTERMINATED_STRING:
        sink.emit(Kind::UnterminatedString, {file_id, begin, begin + 1},
                  "string literal is not closed before the end of the line");
        ok = false;
        break;
      case SoccLexer::UNTERMINATED_COMMENT:
        sink.emit(Kind::UnterminatedComment, {file_id, begin, begin + 2},
                  "block comment is not closed: '/*' needs a matching '*/'");
        ok = false;
        break;
      // Braces only open declarations and test cases, which cannot nest
      // without bound, so only expression brackets count.
      case SoccLexer::LPAREN:
      case SoccLexer::LBRACK:
        ++depth;
        break;
      case SoccLexer::RPAREN:
      case SoccLexer::RBRACK:
        if (depth > 0) --depth;
        break;
      default:
        break;
    }
    // `not` nests like a bracket until an operand ends the run: `not (not (`
    // is four levels deep, `not a and not b` one.
    bool continues_run =
        token->getType() == SoccLexer::NOT || token->getType() == SoccLexer::LPAREN;
    nots = token->getType() == SoccLexer::NOT ? nots + 1 : continues_run ? nots : 0;
    if (depth + nots > limits.max_nesting) {
      sink.emit(Kind::NestingTooDeep, {file_id, begin, end},
                fmt::format("expression nests deeper than {} levels", limits.max_nesting));
      return false;
    }
  }
  return ok;
}

}  // namespace

std::unique_ptr<ast::Module> parse_module(const diagnostics::SourceManager& sources, FileId file_id,
                                          DiagnosticSink& sink, const ParseLimits& limits) {
  const std::string& text = sources.text(file_id);
  if (text.size() > limits.max_file_bytes) {
    sink.emit(
        Kind::FileTooLarge, {file_id, 0, 0},
        fmt::format("file is {} bytes; the limit is {} bytes", text.size(), limits.max_file_bytes));
    return nullptr;
  }
  if (!check_bytes(text, file_id, sink)) return nullptr;

  OffsetMap offsets(text);
  antlr4::ANTLRInputStream input(text);
  SoccLexer lexer(&input);
  lexer.removeErrorListeners();
  antlr4::CommonTokenStream tokens(&lexer);
  tokens.fill();
  bool tokens_ok = check_tokens(tokens.getTokens(), file_id, offsets, limits, sink);
  if (!tokens_ok && sink.diagnostics().back().kind == Kind::NestingTooDeep) {
    return nullptr;
  }

  SoccParser parser(&tokens);
  SyntaxErrorListener listener(file_id, offsets, sink);
  parser.removeErrorListeners();
  parser.addErrorListener(&listener);
  SoccParser::FileContext* tree = parser.file();
  if (!tokens_ok || parser.getNumberOfSyntaxErrors() > 0) return nullptr;

  // Errors found while building the AST (a bad escape, a clause given twice)
  // leave a usable tree, so the later phases still check the file.
  return build_ast(tree, file_id, offsets, sink);
}

}  // namespace socc::parse

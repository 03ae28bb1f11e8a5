# Emulation of socc's matching semantics (docs/language.md, sections 4 and 7)
# in jq 1.6, shared by every <rule>.jq program in this directory.
#
# * Event kinds: the `select` clause of the stdlib schema. The channel is
#   compared case-insensitively, the EventID as an int (see `int_value`).
# * Fields are keys of Event.EventData. A raw value that is an object with
#   a `#text` member reads that member. It is then converted to the field's
#   type: for string fields a JSON string as is, a number or boolean as its
#   text; for int fields a JSON integer, or a string holding a decimal or
#   0x-hex integer (trailing spaces ignored). Anything else (absent, null,
#   objects, arrays, unconvertible) is missing.
# * Every comparison with a missing field is false; `not (...)` over it is
#   then true.
# * String operators (==, in, contains, startswith, endswith) ignore ASCII
#   case: both sides are lower-cased with ascii_downcase.

def text_of: if type == "object" and has("#text") then .["#text"] else . end;
def hex_value: ascii_downcase | ltrimstr("0x") | explode
  | reduce .[] as $c (0; . * 16 + (if $c >= 97 then $c - 87 else $c - 48 end));
def string_value: text_of
  | if type == "string" then .
    elif type == "number" or type == "boolean" then tostring
    else null end;
def int_value: text_of
  | if type == "number" then (if . == floor then . else null end)
    elif type == "string" then
      (sub(" +$"; "")
       | if test("^-?[0-9]+$") then tonumber
         elif test("^0[xX][0-9a-fA-F]+$") then hex_value
         else null end)
    else null end;

def ed: (.Event.EventData | if type == "object" then . else {} end);
def str($k): ed[$k] | string_value;
def num($k): ed[$k] | int_value;
def lc($k): str($k) | if . == null then null else ascii_downcase end;

def eq($k; $v): lc($k) as $x | $x != null and $x == ($v | ascii_downcase);
def contains_($k; $v): lc($k) as $x | $x != null and ($x | contains($v | ascii_downcase));
def startswith_($k; $v): lc($k) as $x | $x != null and ($x | startswith($v | ascii_downcase));
def endswith_($k; $v): lc($k) as $x | $x != null and ($x | endswith($v | ascii_downcase));
def in_($k; $l): lc($k) as $x | $x != null and any($l[] | ascii_downcase; . == $x);
# `F contains a or F contains b or ...` (and the same for endswith)
def contains_any($k; $l): . as $e | any($l[]; . as $v | $e | contains_($k; $v));
def endswith_any($k; $l): . as $e | any($l[]; . as $v | $e | endswith_($k; $v));
def num_eq($k; $v): num($k) as $x | $x != null and $x == $v;

def channel_is($c): (.Event.System.Channel | string_value | if . == null then null else ascii_downcase end) == ($c | ascii_downcase);
def event_id: .Event.System.EventID | int_value;
def sysmon($id): channel_is("Microsoft-Windows-Sysmon/Operational") and event_id == $id;
# windows.sysmon.RegistryEvent: Sysmon events 12, 13 and 14
def sysmon_registry: channel_is("Microsoft-Windows-Sysmon/Operational") and (event_id as $i | $i == 12 or $i == 13 or $i == 14);
def security($id): channel_is("Security") and event_id == $id;
def ps4104: channel_is("Microsoft-Windows-PowerShell/Operational") and event_id == 4104;

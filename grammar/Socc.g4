// The socc rule language: one grammar for modules, schemas, lists,
// detections, actions, playbooks and tests.
//
// The parser only fixes the shape of a file. Names, metadata keys, types and
// the meaning of each construct are checked later by semantic analysis, so
// that a misspelt key gets a "did you mean" instead of a syntax error.
// docs/language.md is the normative description of the language.
grammar Socc;

// ---------------------------------------------------------------- files

// A source file: an optional module header, its imports, then declarations
// in any order. A file without a header is a module named after its path.
file
  : moduleDecl? importDecl* declaration* EOF
  ;

// `module windows.sysmon` names the module this file defines.
moduleDecl
  : MODULE qualifiedName
  ;

// `import windows.sysmon` makes every declaration of that module visible.
importDecl
  : IMPORT qualifiedName
  ;

qualifiedName
  : name (DOT name)*
  ;

declaration
  : schemaDecl
  | listDecl
  | detectionDecl
  | actionDecl
  | playbookDecl
  | testDecl
  | macroDecl
  ;

// ---------------------------------------------------------------- schemas

// A schema names one kind of event: which raw events belong to it (the
// `select` clause) and where each typed field lives in the raw event.
schemaDecl
  : SCHEMA name LBRACE schemaSelect? fieldDecl* RBRACE
  ;

// The raw events of the kind: every condition must hold. Raw paths are
// strings because their segments may contain `#` (`#attributes`).
schemaSelect
  : SELECT rawCondition (AND rawCondition)*
  ;

// `"Event.System.EventID" == 1` or `"Event.System.EventID" in [12, 13]`.
rawCondition
  : path=STRING EQ literal                      # rawEquals
  | path=STRING IN listLiteral                  # rawIn
  ;

// `image: string = "Event.EventData.Image"`: a typed field and its raw path.
fieldDecl
  : name COLON typeName=name ASSIGN path=STRING
  ;

// ---------------------------------------------------------------- lists

// `list shells = ["cmd.exe", "powershell.exe"]`: a named constant set.
// `list admins: string = file("admins.txt")` reads one value per line of a
// file; the element type is then given, since nothing else says it.
listDecl
  : LIST name (COLON typeName=name)? ASSIGN (listLiteral | listFile)
  ;

listFile
  : source=name LPAREN text RPAREN
  ;

// Elements are constants: literals, other lists (spliced in), and calls of
// constant functions such as `base64offset("...")`, whose values are
// spliced in too. Semantic analysis folds them to literals.
listLiteral
  : LBRACK (operand (COMMA operand)* COMMA?)? RBRACK
  ;

// ---------------------------------------------------------------- macros

// `macro office_app(f: string) = basename(f) in office_apps`: a named,
// parameterised condition. A use `office_app(parent_image)` stands for the
// body with the argument in place of `f`.
macroDecl
  : MACRO name LPAREN (param (COMMA param)*)? RPAREN ASSIGN expr
  ;

// ---------------------------------------------------------------- detections

// A detection: metadata items, the event kinds it reads (`on`, one schema or
// several, so that one rule covers differently shaped logs), its condition
// (`where`) and the playbook its alerts start (`respond`).
detectionDecl
  : DETECTION name LBRACE detectionItem* RBRACE
  ;

detectionItem
  : ON schemas+=qualifiedName (COMMA schemas+=qualifiedName)*  # onItem
  | WHERE expr                                  # whereItem
  | RESPOND playbook=name                       # respondItem
  | metaItem                                    # metaDetectionItem
  ;

// `key value, value, ...`: the keys and the kinds of value each accepts are
// checked by semantic analysis (title "...", severity high, attack T1059).
metaItem
  : key=name metaValue (COMMA metaValue)*
  ;

// `test` is a keyword but also a rule status (`status test`), so a value
// may be spelt like it.
metaValue
  : text
  | INT
  | name
  | TEST
  ;

// Adjacent string literals form one string, so that a long value can be
// written over several lines: "part one, " 'part two'.
text
  : STRING+
  ;

// ---------------------------------------------------------------- expressions

// Alternatives are listed from the tightest binding to the loosest: a
// comparison binds tighter than `not`, `not` tighter than `and`, `and`
// tighter than `or`. `cs` after an operator makes it case-sensitive; `any`
// (the default) or `all` before a list on the right says whether one or
// every element must match.
expr
  : LPAREN expr RPAREN                          # parenExpr
  | lhs=operand NOT? IN CS? rhs=operand         # inExpr
  | lhs=operand compareOp CS? quantifier? rhs=operand  # compareExpr
  | operand                                     # operandExpr
  | NOT expr                                    # notExpr
  | expr AND expr                               # andExpr
  | expr OR expr                                # orExpr
  ;

compareOp
  : EQ | NE | LT | LE | GT | GE | CONTAINS | STARTSWITH | ENDSWITH | LIKE | MATCHES
  ;

quantifier
  : ANY | ALL
  ;

// An operand is a literal, an inline list, a call (of a field function, a
// constant function or a macro), or a dotted name that semantic analysis
// resolves to a field, a list, a macro parameter, an alert member or a
// severity.
operand
  : literal                                     # literalOperand
  | listLiteral                                 # listOperand
  | name LPAREN (expr (COMMA expr)*)? RPAREN    # callOperand
  | name (DOT name)*                            # nameOperand
  ;

// Addresses, networks, durations and times have literals of their own:
// `10.0.0.1`, `10.0.0.0/8`, `90s`, `1h30m`, `2024-05-01`,
// `2024-05-01T12:00:00Z`. IPv6 is written `ip("::1")`, `cidr("fe80::/10")`.
literal
  : text                                        # stringLiteral
  | MINUS? INT                                  # intLiteral
  | MINUS? FLOAT                                # floatLiteral
  | (TRUE | FALSE)                              # boolLiteral
  | IPV4                                        # ipLiteral
  | DURATION                                    # durationLiteral
  | DATETIME                                    # timestampLiteral
  ;

// ---------------------------------------------------------------- response

// `action isolate_host(host: string) { risk containment  undo unisolate_host }`
// declares a response action: its typed parameters and metadata items.
actionDecl
  : ACTION name LPAREN (param (COMMA param)*)? RPAREN
    (LBRACE metaItem* RBRACE)?
  ;

param
  : name COLON typeName=name
  ;

// A playbook: ordered steps, each calling one action, optionally guarded by
// a condition over the alert.
playbookDecl
  : PLAYBOOK name LBRACE step* RBRACE
  ;

// `step isolate = isolate_host(host: alert.host) when alert.severity >= high`
step
  : STEP name ASSIGN action=name LPAREN (arg (COMMA arg)*)? RPAREN
    (WHEN expr)?
  ;

arg
  : name COLON expr
  ;

// ---------------------------------------------------------------- tests

// `test office_shell { fires { image: "..." } quiet { ... } }`: events given
// as values of the detection's schema fields, and whether it must fire.
testDecl
  : TEST name LBRACE testCase* RBRACE
  ;

testCase
  : (FIRES | QUIET) LBRACE (fieldInit (COMMA fieldInit)* COMMA?)? RBRACE
  ;

fieldInit
  : name COLON operand
  ;

// Keywords that may also be used where a plain name is expected.
name
  : IDENT
  ;

// ---------------------------------------------------------------- tokens

MODULE     : 'module' ;
IMPORT     : 'import' ;
SCHEMA     : 'schema' ;
SELECT     : 'select' ;
LIST       : 'list' ;
DETECTION  : 'detection' ;
ON         : 'on' ;
WHERE      : 'where' ;
RESPOND    : 'respond' ;
ACTION     : 'action' ;
PLAYBOOK   : 'playbook' ;
STEP       : 'step' ;
WHEN       : 'when' ;
TEST       : 'test' ;
FIRES      : 'fires' ;
QUIET      : 'quiet' ;
AND        : 'and' ;
OR         : 'or' ;
NOT        : 'not' ;
IN         : 'in' ;
CS         : 'cs' ;
CONTAINS   : 'contains' ;
STARTSWITH : 'startswith' ;
ENDSWITH   : 'endswith' ;
LIKE       : 'like' ;
MATCHES    : 'matches' ;
ANY        : 'any' ;
ALL        : 'all' ;
MACRO      : 'macro' ;
TRUE       : 'true' ;
FALSE      : 'false' ;

EQ     : '==' ;
NE     : '!=' ;
LE     : '<=' ;
GE     : '>=' ;
LT     : '<' ;
GT     : '>' ;
ASSIGN : '=' ;
LPAREN : '(' ;
RPAREN : ')' ;
LBRACE : '{' ;
RBRACE : '}' ;
LBRACK : '[' ;
RBRACK : ']' ;
COMMA  : ',' ;
COLON  : ':' ;
DOT    : '.' ;
MINUS  : '-' ;

// Identifiers include ATT&CK ids: `T1059` and, with its dot, `T1059.001`
// lex as one identifier so that metadata can list techniques unquoted.
IDENT
  : [a-zA-Z_] [a-zA-Z_0-9]*
  | 'T' [0-9]+ '.' [0-9]+
  ;

FLOAT : [0-9]+ '.' [0-9]+ ;
// Longest match makes `10.0.0.1` an address, not the float `10.0`.
IPV4  : [0-9]+ '.' [0-9]+ '.' [0-9]+ '.' [0-9]+ ('/' [0-9]+)? ;
DURATION : ([0-9]+ ('us' | 'ms' | 's' | 'm' | 'h' | 'd'))+ ;
// A date, optionally with a time and a zone; without a zone it is UTC.
DATETIME
  : DIGIT4 '-' DIGIT2 '-' DIGIT2
    ('T' DIGIT2 ':' DIGIT2 (':' DIGIT2 ('.' [0-9]+)?)? ('Z' | [+-] DIGIT2 ':' DIGIT2)?)?
  ;
fragment DIGIT2 : [0-9] [0-9] ;
fragment DIGIT4 : [0-9] [0-9] [0-9] [0-9] ;
INT   : [0-9]+ | '0x' [0-9a-fA-F]+ ;

// "..." strings take escapes; '...' strings are raw, which suits Windows
// paths ('C:\Windows\System32'); a doubled '' stands for one quote.
STRING
  : '"' (~["\\\r\n] | '\\' ~[\r\n])* '"'
  | '\'' (~['\r\n] | '\'\'')* '\''
  ;

// A string that reaches the end of its line without closing. Matching it as
// a token of its own lets the parser report it as one clear error.
UNTERMINATED_STRING
  : '"' (~["\\\r\n] | '\\' ~[\r\n])*
  | '\'' (~['\r\n] | '\'\'')*
  ;

LINE_COMMENT  : '//' ~[\r\n]* -> skip ;
BLOCK_COMMENT : '/*' .*? '*/' -> skip ;

// A block comment that never closes: everything to the end of the file,
// without a `*/` in it. As one token it is reported once, and the lexer does
// not rescan the rest of the file for every `/*` in it.
UNTERMINATED_COMMENT : '/*' (~'*' | '*'+ ~[*/])* '*'* EOF ;
WS            : [ \t\r\n]+ -> skip ;

// Anything else becomes a token the parser rejects with a position, instead
// of the lexer printing to the console.
STRAY : . ;

include "prelude";
# rules/defense_evasion/regsvr32_squiblydoo.socc
select(
sysmon(1)
and endswith_("Image"; "\\regsvr32.exe")
and contains_("CommandLine"; "/i:")
and contains_("CommandLine"; "scrobj.dll")
) | input_filename

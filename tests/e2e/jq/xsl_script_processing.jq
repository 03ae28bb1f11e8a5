include "prelude";
# rules/defense_evasion/xsl_script_processing.socc
select(
sysmon(1)
and (
  (endswith_("Image"; "\\wmic.exe")
   and contains_("CommandLine"; "/format:")
   and contains_any("CommandLine"; ["http://", "https://", ".xsl"]))
  or endswith_("Image"; "\\msxsl.exe")
)
) | input_filename

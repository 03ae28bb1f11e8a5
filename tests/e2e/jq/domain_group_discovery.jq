include "prelude";
# rules/discovery/domain_group_discovery.socc
select(
sysmon(1)
and endswith_any("Image"; ["\\net.exe", "\\net1.exe"])
and contains_("CommandLine"; " group")
and contains_("CommandLine"; "/domain")
) | input_filename

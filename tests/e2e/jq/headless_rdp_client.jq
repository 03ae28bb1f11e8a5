include "prelude";
# rules/lateral_movement/headless_rdp_client.socc
select(
sysmon(7)
and endswith_("ImageLoaded"; "\\mstscax.dll")
and (endswith_any("Image"; ["\\mstsc.exe", "\\msrdc.exe", "\\RDCMan.exe"]) | not)
) | input_filename

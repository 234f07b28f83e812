read_liberty {cells.lib}
read_verilog {netlist-asic.v}
link_design t
create_clock -name clk -period 5 [get_ports clk]
set_input_delay 0 -clock clk [delete_from_list [all_inputs] [get_ports clk]]
set_output_delay 0 -clock clk [all_outputs]
report_checks -path_delay max -digits 3
report_worst_slack -digits 3
set_power_activity -global -activity 0.1 -duty 0.5
report_power -digits 9

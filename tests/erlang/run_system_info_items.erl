%% erlang:system_info/1 items with fixed answers on an OTP 25 erl
%% (settings, build facts); bad items raise badarg.
-module(run_system_info_items).
-export([main/0]).

main() ->
    Items = [lock_checking, lock_counting, time_correction, tolerant_timeofday,
             delayed_node_table_gc, dist_buf_busy_limit, message_queue_data,
             time_offset, dynamic_trace, dynamic_trace_probes, ets_always_compress,
             end_time, start_time, cpu_quota, c_compiler_used, taints,
             time_warp_mode, wordsize, {wordsize, internal}, otp_release,
             no_such_item, "otp_release", {no, such}],
    [io:format("~p ~p~n", [I, try erlang:system_info(I) catch C:E -> {C, E} end]) || I <- Items],
    ok.

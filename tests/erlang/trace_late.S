%% Helper module of run_cprof.erl and run_trace_on_load.erl (erlc -S of a
%% small module they load after setting on_load patterns), kept as
%% assembly so that the test harness compiles it.
{module, trace_late}.  %% version = 0

{exports, [{f,1},{module_info,0},{module_info,1}]}.

{attributes, []}.

{labels, 10}.


{function, f, 1, 2}.
  {label,1}.
    {line,[{location,"trace_late.erl",6}]}.
    {func_info,{atom,trace_late},{atom,f},1}.
  {label,2}.
    {test,is_eq_exact,{f,3},[{x,0},{integer,0}]}.
    return.
  {label,3}.
    {allocate,1,1}.
    {move,{x,0},{y,0}}.
    {line,[{location,"trace_late.erl",7}]}.
    {call,1,{f,5}}. % g/1
    {gc_bif,'-',{f,0},1,[{y,0},{integer,1}],{x,1}}.
    {move,{x,0},{y,0}}.
    {move,{x,1},{x,0}}.
    {call,1,{f,2}}. % f/1
    {'%',{var_info,{x,0},[{type,number}]}}.
    {gc_bif,'+',{f,0},1,[{y,0},{tr,{x,0},number}],{x,0}}.
    {deallocate,1}.
    return.


{function, g, 1, 5}.
  {label,4}.
    {line,[{location,"trace_late.erl",9}]}.
    {func_info,{atom,trace_late},{atom,g},1}.
  {label,5}.
    return.


{function, module_info, 0, 7}.
  {label,6}.
    {line,[]}.
    {func_info,{atom,trace_late},{atom,module_info},0}.
  {label,7}.
    {move,{atom,trace_late},{x,0}}.
    {call_ext_only,1,{extfunc,erlang,get_module_info,1}}.


{function, module_info, 1, 9}.
  {label,8}.
    {line,[]}.
    {func_info,{atom,trace_late},{atom,module_info},1}.
  {label,9}.
    {move,{x,0},{x,1}}.
    {move,{atom,trace_late},{x,0}}.
    {call_ext_only,2,{extfunc,erlang,get_module_info,2}}.

%% Helper module of run_trace_on_load.erl (erlc -S of a module with an
%% on_load function), kept as assembly so that the test harness compiles it.
{module, trace_onload}.  %% version = 0

{exports, [{f,1},{module_info,0},{module_info,1}]}.

{attributes, [{on_load,[{init,0}]}]}.

{labels, 11}.


{function, init, 0, 2}.
  {label,1}.
    {line,[{location,"trace_onload.erl",7}]}.
    {func_info,{atom,trace_onload},{atom,init},0}.
  {label,2}.
    {allocate,0,0}.
    {move,{integer,1},{x,0}}.
    {line,[{location,"trace_onload.erl",8}]}.
    {call,1,{f,4}}. % helper/1
    {'%',{var_info,{x,0},[{type,number}]}}.
    {move,{atom,ok},{x,0}}.
    {deallocate,0}.
    return.


{function, helper, 1, 4}.
  {label,3}.
    {line,[{location,"trace_onload.erl",11}]}.
    {func_info,{atom,trace_onload},{atom,helper},1}.
  {label,4}.
    {gc_bif,'+',{f,0},1,[{x,0},{integer,1}],{x,0}}.
    return.


{function, f, 1, 6}.
  {label,5}.
    {line,[{location,"trace_onload.erl",13}]}.
    {func_info,{atom,trace_onload},{atom,f},1}.
  {label,6}.
    {call_only,1,{f,4}}. % helper/1


{function, module_info, 0, 8}.
  {label,7}.
    {line,[]}.
    {func_info,{atom,trace_onload},{atom,module_info},0}.
  {label,8}.
    {move,{atom,trace_onload},{x,0}}.
    {call_ext_only,1,{extfunc,erlang,get_module_info,1}}.


{function, module_info, 1, 10}.
  {label,9}.
    {line,[]}.
    {func_info,{atom,trace_onload},{atom,module_info},1}.
  {label,10}.
    {move,{x,0},{x,1}}.
    {move,{atom,trace_onload},{x,0}}.
    {call_ext_only,2,{extfunc,erlang,get_module_info,2}}.

%% Helper module of run_on_load_fail.erl (erlc -S of a module with an on_load
%% function), kept as assembly so that it is not run as a program.
{module, on_load_ok_d}.  %% version = 0

{exports, [{f,0},{module_info,0},{module_info,1}]}.

{attributes, [{on_load,[{init,0}]}]}.

{labels, 9}.


{function, init, 0, 2}.
  {label,1}.
    {line,[{location,"on_load_ok_d.erl",5}]}.
    {func_info,{atom,on_load_ok_d},{atom,init},0}.
  {label,2}.
    {move,{atom,ok},{x,0}}.
    return.


{function, f, 0, 4}.
  {label,3}.
    {line,[{location,"on_load_ok_d.erl",6}]}.
    {func_info,{atom,on_load_ok_d},{atom,f},0}.
  {label,4}.
    {move,{atom,d},{x,0}}.
    return.


{function, module_info, 0, 6}.
  {label,5}.
    {line,[]}.
    {func_info,{atom,on_load_ok_d},{atom,module_info},0}.
  {label,6}.
    {move,{atom,on_load_ok_d},{x,0}}.
    {call_ext_only,1,{extfunc,erlang,get_module_info,1}}.


{function, module_info, 1, 8}.
  {label,7}.
    {line,[]}.
    {func_info,{atom,on_load_ok_d},{atom,module_info},1}.
  {label,8}.
    {move,{x,0},{x,1}}.
    {move,{atom,on_load_ok_d},{x,0}}.
    {call_ext_only,2,{extfunc,erlang,get_module_info,2}}.

%% Helper module of run_on_load_wait.erl (erlc -S of a module with an on_load
%% function), kept as assembly so that it is not run as a program.
{module, on_load_wait_f}.  %% version = 0

{exports, [{f,0},{module_info,0},{module_info,1}]}.

{attributes, [{on_load,[{init,0}]}]}.

{labels, 10}.


{function, init, 0, 2}.
  {label,1}.
    {line,[{location,"on_load_wait_f.erl",4}]}.
    {func_info,{atom,on_load_wait_f},{atom,init},0}.
  {label,2}.
    {allocate,0,0}.
  {label,3}.
    {wait_timeout,{f,3},{integer,1}}.
    timeout.
    {move,{atom,failed},{x,0}}.
    {deallocate,0}.
    return.


{function, f, 0, 5}.
  {label,4}.
    {line,[{location,"on_load_wait_f.erl",5}]}.
    {func_info,{atom,on_load_wait_f},{atom,f},0}.
  {label,5}.
    {move,{atom,f},{x,0}}.
    return.


{function, module_info, 0, 7}.
  {label,6}.
    {line,[]}.
    {func_info,{atom,on_load_wait_f},{atom,module_info},0}.
  {label,7}.
    {move,{atom,on_load_wait_f},{x,0}}.
    {call_ext_only,1,{extfunc,erlang,get_module_info,1}}.


{function, module_info, 1, 9}.
  {label,8}.
    {line,[]}.
    {func_info,{atom,on_load_wait_f},{atom,module_info},1}.
  {label,9}.
    {move,{x,0},{x,1}}.
    {move,{atom,on_load_wait_f},{x,0}}.
    {call_ext_only,2,{extfunc,erlang,get_module_info,2}}.

%% Helper module of run_on_load_wait.erl (erlc -S of a module with an on_load
%% function), kept as assembly so that it is not run as a program.
{module, on_load_wait_w}.  %% version = 0

{exports, [{f,0},{module_info,0},{module_info,1}]}.

{attributes, [{on_load,[{init,0}]}]}.

{labels, 12}.


{function, init, 0, 2}.
  {label,1}.
    {line,[{location,"on_load_wait_w.erl",4}]}.
    {func_info,{atom,on_load_wait_w},{atom,init},0}.
  {label,2}.
    {allocate,0,0}.
    {bif,self,{f,0},[],{x,0}}.
    {move,{atom,hello},{x,1}}.
    send.
  {label,3}.
    {loop_rec,{f,5},{x,0}}.
    {test,is_eq_exact,{f,4},[{x,0},{atom,hello}]}.
    remove_message.
    {call_ext,0,{extfunc,orddict,new,0}}.
    {call_ext_last,0,{extfunc,on_load_wait_v,g,0},0}.
  {label,4}.
    {loop_rec_end,{f,3}}.
  {label,5}.
    {wait,{f,3}}.


{function, f, 0, 7}.
  {label,6}.
    {line,[{location,"on_load_wait_w.erl",5}]}.
    {func_info,{atom,on_load_wait_w},{atom,f},0}.
  {label,7}.
    {allocate,0,0}.
    {move,{atom,on_load_wait_v},{x,0}}.
    {call_ext,1,{extfunc,erlang,module_loaded,1}}.
    {test_heap,3,1}.
    {put_tuple2,{x,0},{list,[{atom,w},{x,0}]}}.
    {deallocate,0}.
    return.


{function, module_info, 0, 9}.
  {label,8}.
    {line,[]}.
    {func_info,{atom,on_load_wait_w},{atom,module_info},0}.
  {label,9}.
    {move,{atom,on_load_wait_w},{x,0}}.
    {call_ext_only,1,{extfunc,erlang,get_module_info,1}}.


{function, module_info, 1, 11}.
  {label,10}.
    {line,[]}.
    {func_info,{atom,on_load_wait_w},{atom,module_info},1}.
  {label,11}.
    {move,{x,0},{x,1}}.
    {move,{atom,on_load_wait_w},{x,0}}.
    {call_ext_only,2,{extfunc,erlang,get_module_info,2}}.

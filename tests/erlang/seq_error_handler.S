%% Helper module of run_error_handler_flag.erl (erlc -S output), kept as
%% assembly so that it is not run as a program.
{module, seq_error_handler}.  %% version = 0

{exports, [{module_info,0},
           {module_info,1},
           {undefined_function,3},
           {undefined_lambda,3}]}.

{attributes, []}.

{labels, 9}.


{function, undefined_function, 3, 2}.
  {label,1}.
    {line,[{location,"seq_error_handler.erl",4}]}.
    {func_info,{atom,seq_error_handler},{atom,undefined_function},3}.
  {label,2}.
    {test_heap,5,3}.
    {put_tuple2,{x,0},{list,[{atom,handled},{x,0},{x,1},{x,2}]}}.
    return.


{function, undefined_lambda, 3, 4}.
  {label,3}.
    {line,[{location,"seq_error_handler.erl",5}]}.
    {func_info,{atom,seq_error_handler},{atom,undefined_lambda},3}.
  {label,4}.
    {test_heap,4,2}.
    {put_tuple2,{x,0},{list,[{atom,lambda},{x,0},{x,1}]}}.
    return.


{function, module_info, 0, 6}.
  {label,5}.
    {line,[]}.
    {func_info,{atom,seq_error_handler},{atom,module_info},0}.
  {label,6}.
    {move,{atom,seq_error_handler},{x,0}}.
    {call_ext_only,1,{extfunc,erlang,get_module_info,1}}.


{function, module_info, 1, 8}.
  {label,7}.
    {line,[]}.
    {func_info,{atom,seq_error_handler},{atom,module_info},1}.
  {label,8}.
    {move,{x,0},{x,1}}.
    {move,{atom,seq_error_handler},{x,0}}.
    {call_ext_only,2,{extfunc,erlang,get_module_info,2}}.

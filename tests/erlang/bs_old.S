%% Hand-assembled pre-OTP 25 binary construction (bs_init2, bs_init_bits,
%% bs_put_*, bs_add, bs_utf8_size, bs_utf16_size, bs_append,
%% bs_private_append), as older compilers emitted it; run_bs_old.erl
%% calls it. Compiled with `erlc bs_old.S`.
{module, bs_old}.  %% version = 0

{exports, [{append,2},{append_bits,2},{bits,1},{float,2},{init_bits,3},{put_bin,2},{put_int,2},{private,2},{sizes,2},{module_info,0},{module_info,1}]}.

{attributes, []}.

{labels, 40}.

%% <<A:32, B/binary>> with a size computed by bs_add.
{function, put_int, 2, 2}.
  {label,1}.
    {line,[]}.
    {func_info,{atom,bs_old},{atom,put_int},2}.
  {label,2}.
    {gc_bif,byte_size,{f,0},2,[{x,1}],{x,2}}.
    {bs_add,{f,0},[{x,2},{integer,4},1],{x,2}}.
    {bs_init2,{f,0},{x,2},0,2,{field_flags,[]},{x,2}}.
    {bs_put_integer,{f,0},{integer,32},1,{field_flags,[unsigned,big]},{x,0}}.
    {bs_put_binary,{f,0},{atom,all},8,{field_flags,[unsigned,big]},{x,1}}.
    {move,{x,2},{x,0}}.
    return.

%% <<I:12/little, F:64/float, C/utf8, "abc", C/utf16-little, C/utf32>>.
{function, init_bits, 3, 4}.
  {label,3}.
    {line,[]}.
    {func_info,{atom,bs_old},{atom,init_bits},3}.
  {label,4}.
    {bs_utf8_size,{f,0},{x,2},{x,3}}.
    {bs_utf16_size,{f,0},{x,2},{x,4}}.
    {bs_add,{f,0},[{x,3},{x,4},1],{x,3}}.
    {bs_add,{f,0},[{integer,132},{x,3},8],{x,3}}.
    {bs_init_bits,{f,0},{x,3},0,3,{field_flags,[]},{x,3}}.
    {bs_put_integer,{f,0},{integer,12},1,{field_flags,[little,signed]},{x,0}}.
    {bs_put_float,{f,0},{integer,64},1,{field_flags,[big]},{x,1}}.
    {bs_put_utf8,{f,0},{field_flags,[]},{x,2}}.
    {bs_put_string,3,{string,"abc"}}.
    {bs_put_utf16,{f,0},{field_flags,[little]},{x,2}}.
    {bs_put_utf32,{f,0},{field_flags,[]},{x,2}}.
    {move,{x,3},{x,0}}.
    return.

%% <<Bin/binary, X:8>> by bs_append.
{function, append, 2, 6}.
  {label,5}.
    {line,[]}.
    {func_info,{atom,bs_old},{atom,append},2}.
  {label,6}.
    {bs_append,{f,0},{integer,8},0,2,8,{x,0},{field_flags,[]},{x,2}}.
    {bs_put_integer,{f,0},{integer,8},1,{field_flags,[unsigned,big]},{x,1}}.
    {move,{x,2},{x,0}}.
    return.

%% <<Bits/bitstring, X:3>> by bs_append with unit 1, failing to a label.
{function, append_bits, 2, 8}.
  {label,7}.
    {line,[]}.
    {func_info,{atom,bs_old},{atom,append_bits},2}.
  {label,8}.
    {bs_append,{f,9},{integer,3},0,2,1,{x,0},{field_flags,[]},{x,2}}.
    {bs_put_integer,{f,9},{integer,3},1,{field_flags,[unsigned,big]},{x,1}}.
    {move,{x,2},{x,0}}.
    return.
  {label,9}.
    {move,{atom,failed},{x,0}}.
    return.

%% A writable binary grown by bs_private_append.
{function, private, 2, 11}.
  {label,10}.
    {line,[]}.
    {func_info,{atom,bs_old},{atom,private},2}.
  {label,11}.
    {allocate,2,2}.
    {move,{x,0},{y,0}}.
    {move,{x,1},{y,1}}.
    {move,{integer,64},{x,0}}.
    bs_init_writable.
    {bs_private_append,{f,0},{integer,16},1,{x,0},{field_flags,[]},{x,0}}.
    {bs_put_integer,{f,0},{integer,8},1,{field_flags,[unsigned,big]},{y,0}}.
    {bs_put_integer,{f,0},{integer,8},1,{field_flags,[signed,little]},{y,1}}.
    {bs_private_append,{f,0},{integer,8},1,{x,0},{field_flags,[]},{x,0}}.
    {bs_put_integer,{f,0},{integer,8},1,{field_flags,[unsigned,big]},{y,1}}.
    {deallocate,2}.
    return.

%% <<Bin:Size/binary>> with bs_init2 of a run-time size.
{function, put_bin, 2, 13}.
  {label,12}.
    {line,[]}.
    {func_info,{atom,bs_old},{atom,put_bin},2}.
  {label,13}.
    {bs_init2,{f,0},{x,0},0,2,{field_flags,[]},{x,2}}.
    {bs_put_binary,{f,0},{x,0},8,{field_flags,[unsigned,big]},{x,1}}.
    {move,{x,2},{x,0}}.
    return.

%% <<F:Size/float>>, or the atom failed.
{function, float, 2, 15}.
  {label,14}.
    {line,[]}.
    {func_info,{atom,bs_old},{atom,float},2}.
  {label,15}.
    {bs_init_bits,{f,16},{x,1},0,2,{field_flags,[]},{x,2}}.
    {bs_put_float,{f,16},{x,1},1,{field_flags,[little]},{x,0}}.
    {move,{x,2},{x,0}}.
    return.
  {label,16}.
    {move,{atom,failed},{x,0}}.
    return.

%% <<Bits/bitstring>> copied whole.
{function, bits, 1, 18}.
  {label,17}.
    {line,[]}.
    {func_info,{atom,bs_old},{atom,bits},1}.
  {label,18}.
    {gc_bif,bit_size,{f,0},1,[{x,0}],{x,1}}.
    {bs_init_bits,{f,0},{x,1},0,1,{field_flags,[]},{x,1}}.
    {bs_put_binary,{f,0},{atom,all},1,{field_flags,[unsigned,big]},{x,0}}.
    {move,{x,1},{x,0}}.
    return.

%% bs_add and bs_utf8_size on their own: {A + B * 8, Utf8Size(A)}.
{function, sizes, 2, 20}.
  {label,19}.
    {line,[]}.
    {func_info,{atom,bs_old},{atom,sizes},2}.
  {label,20}.
    {bs_add,{f,0},[{x,0},{x,1},8],{x,2}}.
    {bs_utf8_size,{f,0},{x,0},{x,3}}.
    {test_heap,3,4}.
    {put_tuple2,{x,0},{list,[{x,2},{x,3}]}}.
    return.

{function, module_info, 0, 22}.
  {label,21}.
    {line,[]}.
    {func_info,{atom,bs_old},{atom,module_info},0}.
  {label,22}.
    {move,{atom,bs_old},{x,0}}.
    {call_ext_only,1,{extfunc,erlang,get_module_info,1}}.

{function, module_info, 1, 24}.
  {label,23}.
    {line,[]}.
    {func_info,{atom,bs_old},{atom,module_info},1}.
  {label,24}.
    {move,{x,0},{x,1}}.
    {move,{atom,bs_old},{x,0}}.
    {call_ext_only,2,{extfunc,erlang,get_module_info,2}}.

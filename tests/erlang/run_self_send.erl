%% Messages a process sends itself are not copied (as on BEAM): they stay
%% on its heap while they wait in its mailbox, through collections (minor,
%% full, asked for), selective receives and hibernation.
-module(run_self_send).
-export([main/0, woken/1]).

garbage(0) -> ok;
garbage(N) -> _ = lists:seq(1, 50), garbage(N - 1).

main() ->
    Big = [{I, integer_to_list(I), <<I:64>>} || I <- lists:seq(1, 2000)],
    Bin = binary:copy(<<7:800>>),
    [self() ! {msg, I, lists:sublist(Big, I), Bin} || I <- lists:seq(1, 50)],
    garbage(5000),
    erlang:garbage_collect(),
    self() ! {last, lists:reverse(Big)},
    garbage(5000),
    %% Selective: the last one first, then the rest in order.
    receive {last, R} -> io:format("last ~p ~p~n", [length(R), hd(R)]) end,
    Sums = [receive {msg, I, L, B} -> {I, length(L), byte_size(B), lists:last([{0, "", <<>>} | L])} end
            || I <- lists:seq(1, 50)],
    io:format("~p~n", [lists:sublist(Sums, 3) ++ lists:nthtail(47, Sums)]),
    erlang:garbage_collect(self(), [{type, minor}]),
    %% Through hibernation: the message is on the heap the hibernation shrinks.
    P = spawn(fun() ->
                      T = {lists:seq(1, 300), "held"},
                      self() ! {held, T},
                      receive go -> ok end,
                      erlang:hibernate(?MODULE, woken, [T])
              end),
    P ! go,
    P ! {report, self()},
    receive {woken, Same, Held} -> io:format("hibernated ~p ~p~n", [Same, element(2, Held)]) end,
    %% Appendable binaries sent to oneself stay appendable.
    A0 = <<1, 2, 3>>,
    A1 = <<A0/binary, 4>>,
    self() ! A1,
    A2 = <<A1/binary, 5>>,
    receive A1b -> io:format("~p ~p~n", [A1b, <<A1b/binary, 6>>]) end,
    io:format("~p~n", [A2]),
    behind_arrived(),
    ok.

%% A message to oneself queues behind those another process sent before
%% it, even when they arrived in the middle of the receiver's slice (the
%% receiver spins, never waiting, until the sender is dead: by then what
%% it sent has arrived). OTP's ssl counts on it: it sends itself
%% `tcp_closed` when `setopts` fails, after the socket's last data.
behind_arrived() ->
    Self = self(),
    Sender = spawn(fun() -> Self ! from_other end),
    wait_dead(Sender),
    self() ! from_self,
    {messages, Ms} = process_info(self(), messages),
    io:format("queue: ~p~n", [Ms]),
    io:format("received: ~p~n", [[receive M -> M end || _ <- Ms]]).

wait_dead(P) ->
    case is_process_alive(P) of
        true -> wait_dead(P);
        false -> ok
    end.

woken(T) ->
    receive {report, From} -> ok end,
    garbage(2000),
    erlang:garbage_collect(),
    receive {held, T2} -> From ! {woken, T2 =:= T, T2} end.

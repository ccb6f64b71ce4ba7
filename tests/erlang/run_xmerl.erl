%% xmerl: an XML document scanned (attributes, entities, CDATA, comments),
%% XPath queries, the document exported again, export_simple, and a
%% mismatched end tag refused.
-module(run_xmerl).
-export([main/0]).
-include_lib("xmerl/include/xmerl.hrl").
main() ->
    Xml = "<?xml version=\"1.0\"?><root a=\"1\"><item id=\"x\">text &amp; more</item><item id=\"y\"><![CDATA[<raw>]]></item><!-- c --><empty/></root>",
    {Doc, Rest} = xmerl_scan:string(Xml),
    io:format("rest ~p~n", [Rest]),
    io:format("name ~p attrs ~p~n", [Doc#xmlElement.name, [{A#xmlAttribute.name, A#xmlAttribute.value} || A <- Doc#xmlElement.attributes]]),
    io:format("xpath ~p~n", [[V || #xmlAttribute{value = V} <- xmerl_xpath:string("//item/@id", Doc)]]),
    io:format("text ~p~n", [[T || #xmlText{value = T} <- xmerl_xpath:string("//item/text()", Doc)]]),
    io:format("export ~s~n", [lists:flatten(xmerl:export([Doc], xmerl_xml))]),
    Simple = {doc, [{v, "1"}], [{a, ["x"]}, {b, [], []}]},
    io:format("simple ~s~n", [lists:flatten(xmerl:export_simple([Simple], xmerl_xml))]),
    io:format("bad ~p~n", [catch element(1, xmerl_scan:string("<a><b></a>", [{quiet, true}]))]).

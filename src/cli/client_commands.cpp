#include "cli/client_commands.h"

#include <boost/json.hpp>
#include <boost/url/encode.hpp>
#include <boost/url/rfc/unreserved_chars.hpp>
#include <iostream>

#include "http/api_client.h"

namespace hop {

namespace {

void AddConnectionFlags(CLI::App* cmd, ClientFlags& f) {
  cmd->add_option("--url", f.url, "The hop server")->envname("HOP_URL")->capture_default_str();
  cmd->add_option("--api-key", f.api_key, "API key")->envname("HOP_API_KEY");
  cmd->add_flag("--json", f.json, "Print the API's JSON answer");
}

std::string Encode(const std::string& text) {
  return boost::urls::encode(text, boost::urls::unreserved_chars);
}

// Prints the problem detail of an error answer; true when the answer was a success.
bool Succeeded(const Result<ApiResponse>& response) {
  if (!response.ok()) {
    std::cerr << "hop: " << response.status().detail() << "\n";
    return false;
  }
  const ApiResponse& r = response.value();
  if (r.status < 400) return true;
  boost::system::error_code ec;
  boost::json::value problem = boost::json::parse(r.body, ec);
  if (!ec && problem.is_object() && problem.as_object().contains("detail")) {
    std::cerr << "hop: " << boost::json::value_to<std::string>(problem.at("detail")) << " ("
              << boost::json::value_to<std::string>(problem.at("code")) << ", HTTP " << r.status
              << ")\n";
  } else {
    std::cerr << "hop: the server answered HTTP " << r.status << "\n";
  }
  return false;
}

boost::json::object CreateBody(const ClientFlags& f) {
  boost::json::object body{{"url", f.target}};
  if (!f.alias.empty()) body["alias"] = f.alias;
  if (!f.title.empty()) body["title"] = f.title;
  if (!f.tags.empty()) body["tags"] = boost::json::value_from(f.tags);
  if (!f.expires_at.empty()) body["expires_at"] = f.expires_at;
  if (f.max_visits > 0) body["max_visits"] = f.max_visits;
  if (f.redirect_status != 0) body["redirect_status"] = f.redirect_status;
  if (f.forward_query) body["forward_query"] = true;
  return body;
}

int Create(const ClientFlags& f) {
  ApiClient client(f.url, f.api_key);
  Result<ApiResponse> response =
      client.Send("POST", "/api/v1/links", boost::json::serialize(CreateBody(f)));
  if (!Succeeded(response)) return 1;
  if (f.json) {
    std::cout << response.value().body << "\n";
  } else {
    boost::json::value link = boost::json::parse(response.value().body);
    std::cout << boost::json::value_to<std::string>(link.at("short_url")) << "\n";
  }
  return 0;
}

int Stats(const ClientFlags& f) {
  ApiClient client(f.url, f.api_key);
  Result<ApiResponse> response = client.Send("GET", "/api/v1/links/" + Encode(f.code) + "/stats");
  if (!Succeeded(response)) return 1;
  if (f.json) {
    std::cout << response.value().body << "\n";
    return 0;
  }
  boost::json::value s = boost::json::parse(response.value().body);
  std::cout << "last 24h  " << s.at("last_24h").as_int64() << "\n"
            << "last 7d   " << s.at("last_7d").as_int64() << "\n"
            << "last 30d  " << s.at("last_30d").as_int64() << "\n"
            << "total     " << s.at("total").as_int64() << "\n"
            << "bots      " << s.at("bots").as_int64() << "\n";
  return 0;
}

int List(const ClientFlags& f) {
  std::string target = "/api/v1/links?limit=" + std::to_string(f.limit);
  if (!f.query.empty()) target += "&q=" + Encode(f.query);
  if (!f.tag.empty()) target += "&tag=" + Encode(f.tag);
  ApiClient client(f.url, f.api_key);
  Result<ApiResponse> response = client.Send("GET", target);
  if (!Succeeded(response)) return 1;
  if (f.json) {
    std::cout << response.value().body << "\n";
    return 0;
  }
  boost::json::value page = boost::json::parse(response.value().body);
  for (const boost::json::value& link : page.at("items").as_array()) {
    std::cout << boost::json::value_to<std::string>(link.at("short_url")) << "\t"
              << link.at("total_clicks").as_int64() << "\t"
              << boost::json::value_to<std::string>(link.at("url")) << "\n";
  }
  return 0;
}

}  // namespace

ClientCommands AddClientCommands(CLI::App& app, ClientFlags& f) {
  ClientCommands c;
  c.create = app.add_subcommand("create", "Shorten a URL on a running server (HOP_URL)");
  c.create->add_option("url", f.target, "The URL to shorten")->required();
  c.create->add_option("--alias", f.alias, "Custom code instead of a random one");
  c.create->add_option("--title", f.title, "Title");
  c.create->add_option("--tag", f.tags, "Tag (repeatable)");
  c.create->add_option("--expires", f.expires_at, "Expiry, RFC 3339 (e.g. 2030-01-01T00:00:00Z)");
  c.create->add_option("--max-visits", f.max_visits, "Redirects allowed before the link is gone")
      ->check(CLI::PositiveNumber);
  c.create->add_option("--redirect-status", f.redirect_status, "301, 302, 307 or 308")
      ->check(CLI::IsMember({301, 302, 307, 308}));
  c.create->add_flag("--forward-query", f.forward_query, "Append the visitor's query string");
  AddConnectionFlags(c.create, f);

  c.stats = app.add_subcommand("stats", "Clicks of a link: last 24 h, 7 d, 30 d, all time");
  c.stats->add_option("code", f.code, "The link's code")->required();
  AddConnectionFlags(c.stats, f);

  c.list = app.add_subcommand("list", "List links, newest first");
  c.list->add_option("--q", f.query, "Only links whose code, URL or title contain this");
  c.list->add_option("--tag", f.tag, "Only links with this tag");
  c.list->add_option("--limit", f.limit, "How many")
      ->check(CLI::Range(1, 1000))
      ->capture_default_str();
  AddConnectionFlags(c.list, f);
  return c;
}

int RunClientCommand(const ClientCommands& c, const ClientFlags& f) {
  if (c.create->parsed()) return Create(f);
  if (c.stats->parsed()) return Stats(f);
  return List(f);
}

}  // namespace hop

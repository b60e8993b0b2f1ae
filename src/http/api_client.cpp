#include "http/api_client.h"

#include <boost/asio/connect.hpp>
#include <boost/asio/ip/tcp.hpp>
#include <boost/asio/ssl.hpp>
#include <boost/beast/core.hpp>
#include <boost/beast/http.hpp>
#include <boost/beast/ssl.hpp>
#include <boost/url/parse.hpp>

namespace hop {

namespace asio = boost::asio;
namespace beast = boost::beast;
namespace http = beast::http;

namespace {

struct Endpoint {
  bool tls = false;
  std::string host;
  std::string port;
  std::string path_prefix;  // a base URL may live under a path, e.g. https://example.com/hop
};

Result<Endpoint> ParseBaseUrl(std::string_view base_url) {
  auto url = boost::urls::parse_absolute_uri(base_url);
  if (!url || (url->scheme() != "http" && url->scheme() != "https") || url->host().empty()) {
    return Status::Error(
        ErrorCode::kInvalidRequest,
        "HOP_URL must be an http or https URL, got \"" + std::string(base_url) + "\"");
  }
  Endpoint e;
  e.tls = url->scheme() == "https";
  e.host = url->host();
  e.port = url->has_port() ? std::string(url->port()) : (e.tls ? "443" : "80");
  e.path_prefix = url->encoded_path();
  while (!e.path_prefix.empty() && e.path_prefix.back() == '/') e.path_prefix.pop_back();
  return e;
}

http::request<http::string_body> BuildRequest(const Endpoint& e, std::string_view method,
                                              std::string_view target, std::string_view body,
                                              const std::string& api_key) {
  http::request<http::string_body> request;
  request.method_string(method);
  request.target(e.path_prefix + std::string(target));
  request.version(11);
  request.set(http::field::host, e.host);
  request.set(http::field::user_agent, "hop-cli");
  request.set(http::field::accept, "application/json");
  if (!api_key.empty()) request.set(http::field::authorization, "Bearer " + api_key);
  if (!body.empty()) {
    request.set(http::field::content_type, "application/json");
    request.body() = std::string(body);
  }
  request.prepare_payload();
  return request;
}

template <typename Stream>
ApiResponse Exchange(Stream& stream, http::request<http::string_body>& request) {
  http::write(stream, request);
  beast::flat_buffer buffer;
  http::response<http::string_body> response;
  http::read(stream, buffer, response);
  return ApiResponse{.status = static_cast<int>(response.result_int()),
                     .content_type = std::string(response[http::field::content_type]),
                     .body = std::move(response.body())};
}

ApiResponse SendPlain(const Endpoint& e, http::request<http::string_body>& request,
                      std::chrono::seconds timeout) {
  asio::io_context ioc;
  beast::tcp_stream stream(ioc);
  stream.expires_after(timeout);
  stream.connect(asio::ip::tcp::resolver(ioc).resolve(e.host, e.port));
  return Exchange(stream, request);
}

ApiResponse SendTls(const Endpoint& e, http::request<http::string_body>& request,
                    std::chrono::seconds timeout) {
  asio::io_context ioc;
  asio::ssl::context tls(asio::ssl::context::tls_client);
  tls.set_default_verify_paths();
  tls.set_verify_mode(asio::ssl::verify_peer);
  beast::ssl_stream<beast::tcp_stream> stream(ioc, tls);
  // SNI, and the name the certificate must carry.
  SSL_set_tlsext_host_name(stream.native_handle(), e.host.c_str());
  stream.set_verify_callback(asio::ssl::host_name_verification(e.host));
  beast::get_lowest_layer(stream).expires_after(timeout);
  beast::get_lowest_layer(stream).connect(asio::ip::tcp::resolver(ioc).resolve(e.host, e.port));
  stream.handshake(asio::ssl::stream_base::client);
  return Exchange(stream, request);
}

}  // namespace

ApiClient::ApiClient(std::string base_url, std::string api_key, std::chrono::seconds timeout)
    : base_url_(std::move(base_url)), api_key_(std::move(api_key)), timeout_(timeout) {}

Result<ApiResponse> ApiClient::Send(std::string_view method, std::string_view target,
                                    std::string_view json_body) {
  Result<Endpoint> endpoint = ParseBaseUrl(base_url_);
  if (!endpoint.ok()) return endpoint.status();
  http::request<http::string_body> request =
      BuildRequest(endpoint.value(), method, target, json_body, api_key_);
  try {
    return endpoint.value().tls ? SendTls(endpoint.value(), request, timeout_)
                                : SendPlain(endpoint.value(), request, timeout_);
  } catch (const boost::system::system_error& e) {
    return Status::Error(ErrorCode::kInternal,
                         "cannot reach " + base_url_ + ": " + e.code().message());
  }
}

}  // namespace hop

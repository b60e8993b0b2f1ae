// ToRequest: a request Beast parsed, as the plain Request the router takes. Internal to src/http
// (it includes Beast); the session and the router fuzzer (fuzz/) convert through this one function,
// so the fuzzer feeds the router exactly what a connection would.
#pragma once

#include <boost/beast/http/message.hpp>
#include <boost/beast/http/string_body.hpp>
#include <string>
#include <utility>

#include "http/message.h"

namespace hop {

template <typename Allocator>
Request ToRequest(
    boost::beast::http::request<boost::beast::http::string_body,
                                boost::beast::http::basic_fields<Allocator>>&& message) {
  Request request;
  request.method = std::string(message.method_string());
  request.target = std::string(message.target());
  for (const auto& field : message) {
    request.headers.emplace_back(std::string(field.name_string()), std::string(field.value()));
  }
  request.body = std::move(message.body());
  return request;
}

}  // namespace hop

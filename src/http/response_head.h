// The head of a response the router or the session answered, written without Beast's serializer.
//
// Beast builds a message whose every header field is an allocation of its own, then serializes it
// through a composed write; writing the status line and fields straight into a buffer the session
// reuses costs a few copies. The body goes out after the head in the same write, uncopied.
#pragma once

#include <string>
#include <string_view>

#include "http/message.h"

namespace hop {

// Replaces `out` with the status line and header section of `response`: its headers in order,
// then Date, Content-Length (of its body, as Beast writes it, even for 204) and, unless the
// connection stays open, "Connection: close". REQUIRES: no header name or value holds CR or LF;
// they are hop's own, never a client's.
void BuildResponseHead(std::string& out, const Response& response, std::string_view date,
                       bool keep_alive);

}  // namespace hop

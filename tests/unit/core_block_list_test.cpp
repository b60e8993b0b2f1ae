#include "core/block_list.h"

#include <gtest/gtest.h>

#include "../store/store_test_support.h"
#include "core/target_url.h"

namespace hop {
namespace {

using Hosts = std::vector<std::string>;

TEST(BlockList, OneHostPerLineWithCommentsAndBlankLines) {
  EXPECT_EQ(Must(ParseBlockList("# phishing\nevil.example\n\n  bad.test  # since May\r\n")),
            (Hosts{"evil.example", "bad.test"}));
}

TEST(BlockList, HostsAreNormalizedLikeTargetUrlHosts) {
  EXPECT_EQ(Must(ParseBlockList("EVIL.Example.\nbücher.example\n")),
            (Hosts{"evil.example", "xn--bcher-kva.example"}));
}

TEST(BlockList, AddressesWithOrWithoutBrackets) {
  EXPECT_EQ(Must(ParseBlockList("192.0.2.1\n[2001:DB8::1]\n2001:db8::2\n")),
            (Hosts{"192.0.2.1", "[2001:db8::1]", "[2001:db8::2]"}));
}

TEST(BlockList, DuplicatesCollapse) {
  EXPECT_EQ(Must(ParseBlockList("a.example\nA.example\na.example.\n")), (Hosts{"a.example"}));
}

TEST(BlockList, EmptyTextBlocksNothing) {
  EXPECT_TRUE(Must(ParseBlockList("")).empty());
  EXPECT_TRUE(Must(ParseBlockList("# nothing yet\n")).empty());
}

TEST(BlockList, ALineThatIsNotAHostIsRefusedWithItsNumber) {
  for (const char* entry : {"https://evil.example/", "evil.example/path", "evil.example:8080",
                            "user@evil.example", "evil..example", "two words", "[::1"}) {
    Result<Hosts> parsed = ParseBlockList(std::string("ok.example\n") + entry + "\n");
    ASSERT_TRUE(FailsWith(parsed, ErrorCode::kInvalidRequest)) << entry;
    EXPECT_NE(parsed.status().detail().find("line 2"), std::string::npos)
        << parsed.status().detail();
  }
}

// Boost.URL reads "26.0.0.2.2.2" as the address 26.0.0.2 followed by junk, and "²" maps to "2":
// neither may become an entry that blocks another host than the one written (found by
// fuzz.target_url).
TEST(BlockList, RefusesDottedNumbersThatAreNoAddress) {
  for (const char* entry : {"26.0.0.2.2.2",
                            "\xc2\xb2"
                            "6.0.0.2.2.2",
                            "1.2.3.4.5", "example.123", "\xc2\xb2.0.2.2n2"}) {
    EXPECT_FALSE(ParseBlockList(entry).ok()) << entry;
  }
  EXPECT_FALSE(NormalizeTargetUrl("https://example.5536/", {}).ok());
  EXPECT_FALSE(NormalizeTargetUrl("http://\xc2\xb2"
                                  "6.0.0.2.2.2/",
                                  {})
                   .ok());
}

}  // namespace
}  // namespace hop

// The SQLite store's generated codes: each is its link's id enciphered under the database's key,
// stored nowhere, and kept apart from every stored code (aliases, and random codes from before
// schema version 7).
#include <string>
#include <vector>

#include "core/link_code_cipher.h"
#include "sqlite_test_support.h"
#include "store/sqlite/sqlite_store.h"
#include "store_test_support.h"

namespace hop {
namespace {

// The cipher under the key the migration drew for the database at `path`.
std::unique_ptr<LinkCodeCipher> CipherOf(const std::string& path) {
  const std::string hex = OtherConnection(path).QueryText("SELECT hex(key) FROM link_code_key");
  EXPECT_EQ(hex.size(), 2 * LinkCodeCipher::kKeyBytes);
  LinkCodeCipher::Key key{};
  for (size_t i = 0; i < key.size() && 2 * i + 1 < hex.size(); ++i)
    key[i] = static_cast<uint8_t>(std::stoi(hex.substr(2 * i, 2), nullptr, 16));
  return std::make_unique<LinkCodeCipher>(key);
}

NewLink New(std::string code, std::string url) { return {std::move(code), UrlFields(url)}; }

class SqliteLinkCodesTest : public ::testing::Test {
 protected:
  SqliteLinkCodesTest()
      : path_(FreshPath()), store_(OpenMigrated(path_)), cipher_(CipherOf(path_)) {}

  std::string path_;
  std::unique_ptr<Store> store_;
  std::unique_ptr<LinkCodeCipher> cipher_;
};

TEST_F(SqliteLinkCodesTest, AGeneratedCodeIsTheIdEncipheredAndIsNotStored) {
  const Link link = Must(store_->CreateLink("", UrlFields("https://example.com/"), kNow));
  EXPECT_EQ(link.code, cipher_->Encode(link.id));
  EXPECT_EQ(OtherConnection(path_).QueryText("SELECT count(*) FROM links WHERE code IS NULL"), "1");
}

TEST_F(SqliteLinkCodesTest, EveryDatabaseHasAKeyOfItsOwn) {
  const std::string other = FreshPath();
  ASSERT_NE(OpenMigrated(other), nullptr);
  EXPECT_NE(OtherConnection(path_).QueryText("SELECT hex(key) FROM link_code_key"),
            OtherConnection(other).QueryText("SELECT hex(key) FROM link_code_key"));
}

TEST_F(SqliteLinkCodesTest, AnIdWhoseCodeIsAnAliasIsPassedOver) {
  const int64_t last = Must(store_->CreateLink("", UrlFields("https://example.com/0"), kNow)).id;
  // The alias takes the next id, and is the code of the one after it.
  const std::string alias = cipher_->Encode(last + 2);
  const Link aliased = Must(store_->CreateLink(alias, UrlFields("https://example.com/a"), kNow));
  EXPECT_EQ(aliased.id, last + 1);
  const Link generated = Must(store_->CreateLink("", UrlFields("https://example.com/g"), kNow));
  EXPECT_EQ(generated.id, last + 3);
  EXPECT_EQ(generated.code, cipher_->Encode(last + 3));
  EXPECT_EQ(Must(store_->FindLink(alias)).fields.url, "https://example.com/a");
  EXPECT_EQ(Must(store_->FindLink(generated.code)).fields.url, "https://example.com/g");
}

TEST_F(SqliteLinkCodesTest, WithinABatchAliasesAndGeneratedCodesStayApart) {
  const int64_t last = Must(store_->CreateLink("", UrlFields("https://example.com/0"), kNow)).id;
  // A generated link (last + 1); an alias equal to its code; an alias equal to the code of the id
  // after the next alias (last + 2), which the generated link after it must then pass over.
  const std::vector<NewLink> batch = {
      New("", "https://example.com/g1"), New(cipher_->Encode(last + 1), "https://example.com/x"),
      New(cipher_->Encode(last + 3), "https://example.com/a"), New("", "https://example.com/g2")};
  std::vector<Result<Link>> results = Must(store_->CreateLinks(batch, kNow));
  EXPECT_EQ(Must(std::move(results[0])).id, last + 1);
  EXPECT_TRUE(FailsWith(results[1], ErrorCode::kAliasTaken));
  EXPECT_EQ(Must(std::move(results[2])).id, last + 2);
  const Link second = Must(std::move(results[3]));
  EXPECT_EQ(second.id, last + 4);
  EXPECT_EQ(second.code, cipher_->Encode(last + 4));
  EXPECT_EQ(Must(store_->FindLink(cipher_->Encode(last + 1))).fields.url, "https://example.com/g1");
  EXPECT_EQ(Must(store_->FindLink(cipher_->Encode(last + 3))).fields.url, "https://example.com/a");
}

TEST_F(SqliteLinkCodesTest, AnAliasMayTakeTheCodeOfADeletedLinkButNoIdIsUsedTwice) {
  const Link gone = Must(store_->CreateLink("", UrlFields("https://example.com/gone"), kNow));
  ASSERT_TRUE(IsOk(store_->DeleteLink(gone.code, std::nullopt)));
  const Link alias = Must(store_->CreateLink(gone.code, UrlFields("https://example.com/a"), kNow));
  EXPECT_GT(alias.id, gone.id);
  EXPECT_EQ(Must(store_->FindLink(gone.code)).id, alias.id);
  const Link next = Must(store_->CreateLink("", UrlFields("https://example.com/n"), kNow));
  EXPECT_GT(next.id, alias.id);
}

TEST_F(SqliteLinkCodesTest, AStoredCodeOfADecodableShapeIsFoundByItsRow) {
  // A code that decodes to an existing generated link's id is that link's; any other seven
  // base62 characters are looked up as a stored code.
  const Link generated = Must(store_->CreateLink("", UrlFields("https://example.com/g"), kNow));
  const std::string unused = cipher_->Encode(generated.id + 1000);
  const Link aliased = Must(store_->CreateLink(unused, UrlFields("https://example.com/a"), kNow));
  EXPECT_EQ(Must(store_->FindLink(unused)).id, aliased.id);
  EXPECT_TRUE(FailsWith(store_->FindLink(cipher_->Encode(generated.id + 1)), ErrorCode::kNotFound));
}

}  // namespace
}  // namespace hop

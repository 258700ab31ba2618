#!/usr/bin/env node
// An OpenID provider for the single sign-on tests: oidc-provider (a certified implementation) with its own
// development sign-in pages, which take any login and password. One confidential client, code flow with PKCE.
//   node oidc-server.mjs PORT CLIENT_ID CLIENT_SECRET REDIRECT_URI ACCOUNTS_JSON
// ACCOUNTS_JSON maps a login to the claims the provider gives it, e.g. {"alice":{"groups":["media-admins"]}};
// a login not listed gets a name and an e-mail address and no groups.
import Provider from "oidc-provider";

const [port, clientId, clientSecret, redirectUri, accountsJson] = process.argv.slice(2);
if (!port || !clientId || !clientSecret || !redirectUri) {
  console.error("usage: oidc-server.mjs PORT CLIENT_ID CLIENT_SECRET REDIRECT_URI [ACCOUNTS_JSON]");
  process.exit(2);
}
const accounts = JSON.parse(accountsJson || "{}");
const issuer = `http://localhost:${port}`;

const provider = new Provider(issuer, {
  clients: [{
    client_id: clientId,
    client_secret: clientSecret,
    redirect_uris: [redirectUri],
    response_types: ["code"],
    grant_types: ["authorization_code"],
    token_endpoint_auth_method: "client_secret_post",
  }],
  claims: {
    openid: ["sub"],
    profile: ["name", "preferred_username"],
    email: ["email", "email_verified"],
    groups: ["groups"],
  },
  scopes: ["openid", "profile", "email", "groups"],
  cookies: { keys: ["oidc-test-cookie-key-0123456789abcdef"] },
  async findAccount(_ctx, id) {
    const listed = accounts[id] ?? {};
    return {
      accountId: id,
      async claims() {
        return {
          sub: id,
          name: listed.name ?? id,
          preferred_username: listed.preferred_username ?? id,
          email: listed.email ?? `${id}@example.test`,
          email_verified: true,
          groups: listed.groups ?? [],
        };
      },
    };
  },
});
provider.proxy = false;
provider.on("server_error", (_ctx, error) => console.error("oidc: server error", error));
provider.listen(Number(port), "127.0.0.1", () => console.log(`oidc-provider listening on ${issuer}`));

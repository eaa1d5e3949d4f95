#include "api/admin_routes.h"

#include <nlohmann/json.hpp>

#include "api/json_body.h"
#include "api/json_response.h"

namespace patchcast::api {
namespace {

nlohmann::json BackupJson(const BackupInfo& backup) {
  return {{"name", backup.name}, {"size_bytes", backup.size_bytes}};
}

}  // namespace

void AddAdminRoutes(Router& router, Storage& storage, const Clock& clock) {
  router.Add({Method::kGet,
              "/v1/whoami",
              Scope::kRead,
              {},
              [](const Request& request) -> Result<Response> {
                const Principal& principal = *request.principal;
                return JsonResponse({{"name", principal.name},
                                     {"scope", ScopeName(principal.scope)},
                                     {"series_prefix", principal.series_prefix}});
              },
              "The key this request was made with: name, scope, series prefix"});

  router.Add({Method::kPost,
              "/v1/admin/backups",
              Scope::kAdmin,
              {"application/json"},
              [&storage, &clock](const Request& request) -> Result<Response> {
                auto body = ParseJsonObject(request.body, /*allow_empty=*/true);
                if (!body) return body.error();
                if (Status known = RejectUnknownFields(*body, {"label"}); !known) {
                  return known.error();
                }
                auto label = OptionalString(*body, "label");
                if (!label) return label.error();
                auto backup = storage.CreateBackup(clock.Now(), *label);
                if (!backup) return backup.error();
                return JsonResponse(BackupJson(*backup), 201);
              },
              "Write a consistent backup of the database beside it (optional label)"});

  router.Add({Method::kGet,
              "/v1/admin/backups",
              Scope::kAdmin,
              {},
              [&storage](const Request&) -> Result<Response> {
                auto backups = storage.ListBackups();
                if (!backups) return backups.error();
                nlohmann::json list = nlohmann::json::array();
                for (const BackupInfo& backup : *backups) list.push_back(BackupJson(backup));
                return JsonResponse({{"backups", std::move(list)}});
              },
              "List the backups written so far, oldest first"});
}

}  // namespace patchcast::api

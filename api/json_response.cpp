#include "api/json_response.h"

namespace patchcast::api {

Response JsonResponse(const nlohmann::json& body, int status) {
  Response response;
  response.status = status;
  response.body = body.dump() + "\n";
  return response;
}

Response NoContent() {
  Response response;
  response.status = 204;
  response.content_type.clear();
  return response;
}

}  // namespace patchcast::api

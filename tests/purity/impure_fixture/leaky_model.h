// A deliberately impure "domain" file: the purity check must reject it (test fixture only).
#pragma once
#include <nlohmann/json.hpp>

#pragma once

// The sample shop's services, their routes and their pods. Pods are resources (service, version,
// environment, host, pod); catalog's pods are replaced by a new version at the red-herring deploy.

#include "core/Resource.h"
#include "core/Time.h"

#include <string>
#include <vector>

namespace rootline::sample {

enum Svc : int { Frontend, Checkout, Payment, Cart, Catalog, Shipping, Currency, Email, kServiceCount };

// A server route: what metrics count by and what server spans are named after.
struct RouteDef {
    const char* method; // HTTP method; gRPC is POST on the wire
    const char* route;  // http.route, or "/pkg.Service/Method" for gRPC
    const char* rpcService = nullptr;
    const char* rpcMethod = nullptr;
};

namespace route {
// Frontend
inline constexpr int kProducts = 0, kProduct = 1, kGetCart = 2, kAddToCart = 3, kCheckout = 4;
// Catalog
inline constexpr int kListProducts = 0, kGetProduct = 1;
// Cart
inline constexpr int kCartGet = 0, kCartAdd = 1, kCartEmpty = 2;
// Shipping
inline constexpr int kQuote = 0, kShip = 1;
} // namespace route

struct ServiceDef {
    const char* name;
    const char* language; // telemetry.sdk.language
    const char* version;
    std::vector<RouteDef> routes;
};

struct Pod {
    int service = 0;
    std::string name;    // k8s.pod.name
    std::string ip;      // pod IP
    std::string version; // service.version of this pod
    TimeWindow alive;    // pods are replaced at a deploy
    ResourcePtr resource;
    ResourcePtr sidecar; // frontend's nginx container (access logs); null elsewhere
    int firstSeries = 0; // index of this pod's first route in the metrics tables
};

class ServiceCatalog {
public:
    // `podsPerService` pods each; catalog gets a second generation at the deploy.
    explicit ServiceCatalog(int podsPerService);

    static const ServiceDef& service(int svc);
    const std::vector<Pod>& pods() const { return m_pods; }
    // The pods of `svc` alive at `t` (index into pods()).
    const std::vector<int>& podsOf(int svc, Timestamp t) const;
    int podCount() const { return int(m_pods.size()); }
    int routeSlots() const { return m_routeSlots; } // sum over pods of their service's route count

private:
    std::vector<Pod> m_pods;
    std::vector<int> m_current[kServiceCount];
    std::vector<int> m_catalogBefore;
    int m_routeSlots = 0;
};

} // namespace rootline::sample

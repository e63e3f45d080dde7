#include "ServiceCatalog.h"

#include "Prng.h"
#include "SampleIncident.h"

#include <array>

namespace rootline::sample {
namespace {

const std::array<ServiceDef, kServiceCount>& definitions()
{
    static const std::array<ServiceDef, kServiceCount> defs = {{
        {"frontend", "nodejs", "3.12.0",
         {{"GET", "/api/products"}, {"GET", "/api/products/{id}"}, {"GET", "/api/cart"}, {"POST", "/api/cart"}, {"POST", "/api/checkout"}}},
        {"checkout", "go", "1.14.2", {{"POST", "/checkout.CheckoutService/PlaceOrder", "checkout.CheckoutService", "PlaceOrder"}}},
        {"payment", "go", "2.4.1", {{"POST", "/payment.PaymentService/Charge", "payment.PaymentService", "Charge"}}},
        {"cart", "dotnet", "1.9.3",
         {{"POST", "/cart.CartService/GetCart", "cart.CartService", "GetCart"},
          {"POST", "/cart.CartService/AddItem", "cart.CartService", "AddItem"},
          {"POST", "/cart.CartService/EmptyCart", "cart.CartService", "EmptyCart"}}},
        {"catalog", "python", "1.8.2",
         {{"POST", "/catalog.CatalogService/ListProducts", "catalog.CatalogService", "ListProducts"},
          {"POST", "/catalog.CatalogService/GetProduct", "catalog.CatalogService", "GetProduct"}}},
        {"shipping", "java", "2.1.0", {{"POST", "/api/v1/quote"}, {"POST", "/api/v1/shipments"}}},
        {"currency", "nodejs", "0.9.7", {{"POST", "/currency.CurrencyService/Convert", "currency.CurrencyService", "Convert"}}},
        {"email", "ruby", "1.3.0",
         {{"POST", "/email.EmailService/SendOrderConfirmation", "email.EmailService", "SendOrderConfirmation"}}},
    }};
    return defs;
}

// ReplicaSet hashes, as Kubernetes names pods: <deployment>-<replicaset hash>-<5 chars>.
constexpr const char* kReplicaSets[kServiceCount] = {"7f9c6d5b8d", "5d8f7c9b6", "6b7d9f8c5d", "84c6b9d7f",
                                                     "7d9f8b6c4", "5f6c8d7b9", "c9b7d5f86", "6f8d9c7b5"};
constexpr const char* kCatalogNewReplicaSet = "5c8d7f9b8";
constexpr const char* kCatalogNewVersion = "1.9.0";
constexpr const char* kNodes[] = {"ip-10-0-1-23.eu-west-1.compute.internal", "ip-10-0-2-87.eu-west-1.compute.internal",
                                  "ip-10-0-3-41.eu-west-1.compute.internal", "ip-10-0-1-112.eu-west-1.compute.internal"};

std::string podSuffix(Prng& rng)
{
    static constexpr char kAlphabet[] = "bcdfghjklmnpqrstvwxz2456789"; // Kubernetes' safe alphabet
    std::string s(5, 'x');
    for (char& c : s)
        c = kAlphabet[rng.below(int(sizeof kAlphabet - 1))];
    return s;
}

ResourcePtr podResource(const ServiceDef& def, const Pod& pod, const char* node, const char* container)
{
    return makeResource({{"service.name", std::string(def.name)},
                         {"service.namespace", std::string("shop")},
                         {"service.version", pod.version},
                         {"deployment.environment", std::string("prod")},
                         {"host.name", std::string(node)},
                         {"k8s.namespace.name", std::string("shop")},
                         {"k8s.pod.name", pod.name},
                         {"k8s.container.name", std::string(container)},
                         {"telemetry.sdk.language", std::string(def.language)}});
}

} // namespace

const ServiceDef& ServiceCatalog::service(int svc) { return definitions()[size_t(svc)]; }

ServiceCatalog::ServiceCatalog(int podsPerService)
{
    // Pod names do not depend on the seed: the same shop whatever traffic runs through it.
    Prng names(0x5eed0f5);
    int nodeIndex = 0;
    auto addPod = [&](int svc, const char* replicaSet, const char* version, TimeWindow alive) {
        const ServiceDef& def = service(svc);
        Pod pod;
        pod.service = svc;
        pod.name = std::string(def.name) + "-" + replicaSet + "-" + podSuffix(names);
        pod.ip = "10.0." + std::to_string(1 + names.below(3)) + "." + std::to_string(10 + names.below(240));
        pod.version = version;
        pod.alive = alive;
        const char* node = kNodes[nodeIndex++ % 4];
        pod.resource = podResource(def, pod, node, def.name);
        if (svc == Frontend)
            pod.sidecar = podResource(def, pod, node, "nginx");
        pod.firstSeries = m_routeSlots;
        m_routeSlots += int(def.routes.size());
        m_pods.push_back(std::move(pod));
        return int(m_pods.size()) - 1;
    };
    const TimeWindow all{sample_story::kWindowStart, sample_story::kWindowEnd};
    for (int svc = 0; svc < kServiceCount; ++svc) {
        for (int i = 0; i < podsPerService; ++i) {
            if (svc == Catalog) {
                m_catalogBefore.push_back(addPod(svc, kReplicaSets[svc], service(svc).version,
                                                 {sample_story::kWindowStart, sample_story::kCatalogDeploy}));
            } else {
                m_current[svc].push_back(addPod(svc, kReplicaSets[svc], service(svc).version, all));
            }
        }
    }
    for (int i = 0; i < podsPerService; ++i)
        m_current[Catalog].push_back(addPod(Catalog, kCatalogNewReplicaSet, kCatalogNewVersion,
                                            {sample_story::kCatalogDeploy, sample_story::kWindowEnd}));
}

const std::vector<int>& ServiceCatalog::podsOf(int svc, Timestamp t) const
{
    if (svc == Catalog && t < sample_story::kCatalogDeploy)
        return m_catalogBefore;
    return m_current[svc];
}

} // namespace rootline::sample

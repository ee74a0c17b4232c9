#pragma once

#include <string>

#include "clients/loadgen/scenario.h"

namespace acd::clients::loadgen {

/// An acdd configuration that serves `scenario`: its tenants (with the break reason and the
/// disposition it uses), every queue it sends contacts to, taking its channel, with service-level
/// threshold and offer timeout in real time (contact-centre time ÷ time scale), wrap-up when the
/// scenario's agents take time for it, and the agents (agent i in tenant i modulo the tenants,
/// member of all of that tenant's queues, level 10 in every skill they use), plus a clear demo
/// token for each gateway and agent. Precondition: CheckScenario passed.
std::string AcddConfigFor(const Scenario& scenario);

}  // namespace acd::clients::loadgen

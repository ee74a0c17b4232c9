#include "clients/relay/relay_hub.h"

#include <google/protobuf/util/time_util.h>

#include <algorithm>
#include <chrono>
#include <utility>

namespace acd::clients::relay {
namespace {

google::protobuf::Timestamp Now() { return google::protobuf::util::TimeUtil::GetCurrentTime(); }

}  // namespace

void RelayHub::AddAgent(const std::shared_ptr<AgentStream>& stream, std::string agent_id) {
  std::lock_guard lock(mu_);
  Reap();
  agents_.push_back(Agent{.stream = stream, .id = std::move(agent_id)});
}

void RelayHub::AddGateway(const std::shared_ptr<GatewayStream>& stream, std::string token) {
  std::lock_guard lock(mu_);
  Reap();
  gateways_.push_back(Gateway{.stream = stream, .token = std::move(token)});
}

void RelayHub::Remove(const AgentStream* stream) {
  std::lock_guard lock(dead_mu_);
  dead_agents_.push_back(stream);
}

void RelayHub::Remove(const GatewayStream* stream) {
  std::lock_guard lock(dead_mu_);
  dead_gateways_.push_back(stream);
}

void RelayHub::Reap() {
  std::vector<const AgentStream*> agents;
  std::vector<const GatewayStream*> gateways;
  {
    std::lock_guard lock(dead_mu_);
    agents.swap(dead_agents_);
    gateways.swap(dead_gateways_);
  }
  for (const AgentStream* dead : agents) {
    std::erase_if(agents_, [dead](const Agent& agent) { return agent.stream.get() == dead; });
  }
  for (const GatewayStream* dead : gateways) {
    std::erase_if(gateways_,
                  [dead](const Gateway& gateway) { return gateway.stream.get() == dead; });
  }
}

void RelayHub::ToGateways(const std::string& token, v1::ContactEvent event) {
  event.set_sequence(++gateway_sequence_);
  *event.mutable_time() = Now();
  for (const Gateway& gateway : gateways_) {
    if (gateway.token == token) gateway.stream->Push(event);
  }
}

void RelayHub::Push(AgentStream& stream, v1::AgentEvent event) {
  *event.mutable_time() = Now();
  stream.Push(std::move(event));
}

void RelayHub::Create(const std::string& token, const v1::CreateContactRequest& request,
                      v1::Contact& contact) {
  std::lock_guard lock(mu_);
  Reap();
  const std::string id = std::to_string(++next_contact_);
  contact.set_contact_id(id);
  contact.set_external_id(request.external_id());
  contact.set_queue_id(request.queue_id());
  contact.set_channel(request.channel());
  *contact.mutable_required_skills() = request.required_skills();
  *contact.mutable_attributes() = request.attributes();
  *contact.mutable_created_at() = Now();
  *contact.mutable_virtual_start_at() = contact.created_at();
  contact.set_state(v1::CONTACT_STATE_QUEUED);
  Contact& entry = contacts_[id];
  entry.token = token;

  v1::ContactEvent queued;
  queued.set_contact_id(id);
  queued.set_external_id(request.external_id());
  queued.mutable_queued()->set_queue_id(request.queue_id());
  queued.mutable_queued()->set_queue_position(1);
  ToGateways(token, std::move(queued));

  if (!agents_.empty()) {
    const Agent& agent = agents_[next_agent_++ % agents_.size()];
    entry.agent = agent.stream;
    contact.set_state(v1::CONTACT_STATE_OFFERED);
    contact.set_agent_id(agent.id);
    v1::AgentEvent offer;
    offer.set_sequence(++agent_sequence_);
    *offer.mutable_offer()->mutable_contact() = contact;
    Push(*agent.stream, std::move(offer));

    v1::ContactEvent offered;
    offered.set_contact_id(id);
    offered.set_external_id(request.external_id());
    offered.mutable_offered()->set_agent_id(agent.id);
    ToGateways(token, std::move(offered));
  }
  entry.contact = contact;
}

bool RelayHub::Accept(const std::string& contact_id, v1::Contact& contact) {
  std::lock_guard lock(mu_);
  auto found = contacts_.find(contact_id);
  if (found == contacts_.end()) return false;
  Contact& entry = found->second;
  entry.contact.set_state(v1::CONTACT_STATE_CONNECTED);
  contact = entry.contact;
  v1::ContactEvent assigned;
  assigned.set_contact_id(contact_id);
  assigned.set_external_id(entry.contact.external_id());
  assigned.mutable_assigned()->set_agent_id(entry.contact.agent_id());
  ToGateways(entry.token, std::move(assigned));
  if (entry.agent) {
    v1::AgentEvent assignment;
    assignment.set_sequence(++agent_sequence_);
    *assignment.mutable_assigned()->mutable_contact() = entry.contact;
    Push(*entry.agent, std::move(assignment));
  }
  return true;
}

bool RelayHub::Complete(const std::string& contact_id, v1::Contact& contact) {
  std::lock_guard lock(mu_);
  auto found = contacts_.find(contact_id);
  if (found == contacts_.end()) return false;
  Contact& entry = found->second;
  entry.contact.set_state(v1::CONTACT_STATE_COMPLETED);
  contact = entry.contact;
  if (entry.agent) {
    v1::AgentEvent completed;
    completed.set_sequence(++agent_sequence_);
    completed.mutable_completed()->set_contact_id(contact_id);
    completed.mutable_completed()->set_disposition_code("no-wrap-up");
    completed.mutable_completed()->set_system_disposition(true);
    Push(*entry.agent, std::move(completed));
  }
  v1::ContactEvent done;
  done.set_contact_id(contact_id);
  done.set_external_id(entry.contact.external_id());
  done.mutable_completed()->set_agent_id(entry.contact.agent_id());
  done.mutable_completed()->set_disposition_code("no-wrap-up");
  ToGateways(entry.token, std::move(done));
  contacts_.erase(found);
  return true;
}

bool RelayHub::Cancel(const std::string& contact_id, v1::Contact& contact) {
  std::lock_guard lock(mu_);
  auto found = contacts_.find(contact_id);
  if (found == contacts_.end()) return false;
  Contact& entry = found->second;
  entry.contact.set_state(v1::CONTACT_STATE_ABANDONED);
  contact = entry.contact;
  if (entry.agent) {
    v1::AgentEvent rescinded;
    rescinded.set_sequence(++agent_sequence_);
    rescinded.mutable_offer_rescinded()->set_contact_id(contact_id);
    rescinded.mutable_offer_rescinded()->set_reason(v1::OFFER_RESCIND_REASON_ABANDONED);
    Push(*entry.agent, std::move(rescinded));
  }
  v1::ContactEvent abandoned;
  abandoned.set_contact_id(contact_id);
  abandoned.set_external_id(entry.contact.external_id());
  abandoned.mutable_abandoned()->set_reason("cancelled");
  ToGateways(entry.token, std::move(abandoned));
  contacts_.erase(found);
  return true;
}

}  // namespace acd::clients::relay

#include "daemon/queue_watch.h"

#include <google/protobuf/io/coded_stream.h>
#include <google/protobuf/io/zero_copy_stream_impl_lite.h>

#include <utility>

#include "daemon/proto_convert.h"

namespace acd::daemon {

QueueWatch::QueueWatch(CoreRunner& core, std::shared_ptr<Stream> stream, QueueSelection selection,
                       std::chrono::milliseconds interval, bool include_agents)
    : core_(core),
      stream_(std::move(stream)),
      selection_(std::move(selection)),
      interval_(interval),
      include_agents_(include_agents) {}

void QueueWatch::Start() {
  ticker_ =
      std::make_shared<CoreTicker>(core_, interval_, [self = shared_from_this()] { self->Send(); });
  ticker_->Start();
}

void QueueWatch::Stop() {
  if (ticker_) ticker_->Stop();  // Its step held this watch.
  ticker_.reset();
  stream_.reset();
}

void QueueWatch::Send() {
  v1::QueueSnapshot snapshot;
  FillQueues(core_, selection_, *snapshot.mutable_queues(), *snapshot.mutable_tenant_kpis());
  if (include_agents_) FillMembers(core_, selection_, *snapshot.mutable_agents());
  std::string picture;
  {
    google::protobuf::io::StringOutputStream bytes(&picture);
    google::protobuf::io::CodedOutputStream coded(&bytes);
    coded.SetSerializationDeterministic(true);
    snapshot.SerializeToCodedStream(&coded);
  }
  if (sequence_ != 0 && picture == last_picture_) return;
  last_picture_ = std::move(picture);
  snapshot.set_sequence(++sequence_);
  convert::ToProto(core_.Now(), *snapshot.mutable_time());
  stream_->Push(std::move(snapshot));
}

}  // namespace acd::daemon

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
      include_agents_(include_agents),
      timer_(core.executor()) {}

void QueueWatch::Start() {
  Send();
  Arm();
}

void QueueWatch::Stop() {
  stopped_ = true;
  timer_.cancel();
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

void QueueWatch::Arm() {
  timer_.expires_after(interval_);
  timer_.async_wait([self = shared_from_this()](const boost::system::error_code& error) {
    if (error || self->stopped_) return;
    self->Send();
    self->Arm();
  });
}

}  // namespace acd::daemon

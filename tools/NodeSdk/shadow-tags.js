// Drives the official Node.js device SDK (npm alibabacloud-iot-device-sdk, pinned in package.json) against the local
// cloud: tags update and delete, shadow update, get and delete. Prints one JSON line per reply the SDK hands back,
// then "done"; exits 1 when a reply is missing after 20 s. Credentials come from the environment (ALIYUN_PK,
// ALIYUN_DN, ALIYUN_DS, ALIYUN_BROKER = mqtts://host:port); the broker's CA from NODE_EXTRA_CA_CERTS. The device
// secret is never printed.
'use strict';
const iot = require('alibabacloud-iot-device-sdk');

const device = iot.device({
  productKey: process.env.ALIYUN_PK,
  deviceName: process.env.ALIYUN_DN,
  deviceSecret: process.env.ALIYUN_DS,
  brokerUrl: process.env.ALIYUN_BROKER,
});

const timer = setTimeout(() => {
  console.log(JSON.stringify({ step: 'timeout' }));
  process.exit(1);
}, 20000);

function print(step, reply) {
  console.log(JSON.stringify({ step, reply }));
}

let shadowWaiter = null;
device.onShadow((reply) => {
  const next = shadowWaiter;
  shadowWaiter = null;
  if (next) next(reply);
});

function shadow(step, send) {
  return new Promise((resolve) => {
    shadowWaiter = (reply) => { print(step, reply); resolve(); };
    send();
  });
}

function alink(step, send) {
  return new Promise((resolve) => send((reply) => { print(step, reply); resolve(); }));
}

let started = false;
device.on('connect', async () => {
  if (started) return;
  started = true;
  await alink('postTags', (cb) => device.postTags([{ attrKey: 'sdk', attrValue: 'node' }, { attrKey: 'model', attrValue: 'NodeBox' }], cb));
  await alink('deleteTags', (cb) => device.deleteTags(['sdk'], cb));
  await shadow('postShadow', () => device.postShadow({ mode: 'eco', level: 3 }));
  await shadow('getShadow', () => device.getShadow());
  await shadow('deleteShadow', () => device.deleteShadow('level'));
  clearTimeout(timer);
  console.log(JSON.stringify({ step: 'done' }));
  device.end(false, () => process.exit(0));
});

device.on('error', (e) => console.log(JSON.stringify({ step: 'error', message: String(e && e.message) })));

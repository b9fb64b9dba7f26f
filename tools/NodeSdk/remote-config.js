// Connects one device with the official Node SDK (aliyun/alibabacloud-iot-device-sdk) to the broker named in its
// device.json and calls getConfig (thing.config.get); prints the reply as one JSON line, or TIMEOUT / ERROR.
// Usage: NODE_EXTRA_CA_CERTS=<ca.pem> node remote-config.js <device.json>
'use strict';
const fs = require('fs');
const iot = require('alibabacloud-iot-device-sdk');

const config = JSON.parse(fs.readFileSync(process.argv[2], 'utf8'));
const device = iot.device({
  productKey: config.productKey,
  deviceName: config.deviceName,
  deviceSecret: config.deviceSecret,
  brokerUrl: 'mqtts://' + config.endpoint.host + ':' + config.endpoint.port + '/',
  tls: true,
});
const timer = setTimeout(() => { console.log('TIMEOUT'); process.exit(2); }, 20000);
device.on('connect', () => {
  device.getConfig((reply) => {
    console.log(JSON.stringify(reply));
    clearTimeout(timer);
    device.end();
    process.exit(0);
  });
});
device.on('error', (e) => { console.log('ERROR ' + (e && e.message)); });
